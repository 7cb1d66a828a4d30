"""J7 → J10 in headless Chromium, in Chinese, as the committee's chair sees it: disputes of one
deduction practice against one platform's regional partner raise a pattern alert on the fifth;
the chair opens an industry consultation from the alert (the headquarters in 徐泾镇, the regional
partner, two rider representatives), records two meetings, the agreed change (stop the deduction
from the first of the next month, refund the last three months) and a follow-up date; the
consultation's page then shows the pattern's disputes month by month, before and after the
change: five, four, six, then one, zero, zero.

The services run on the real clock, so the story is told three months on: the disputes were
received (`received_at`, the desk's paper date) over the six months before today, the meetings
were held three months ago and the change took effect two months ago."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.auth import OFFICER
from tests.browser.checks import seen
from tests.browser.test_committee_console import file_dispute, in_mediation
from tests.browser.test_console import login
from tests.e2e.harness import System
from tests.polling import eventually

# The system starts for this module alone and files sixteen disputes: on a loaded machine that
# takes longer than the default per-test limit.
pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def month_start(today: date, back: int) -> date:
    """The first day of the month `back` months before today's."""
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def words(day: date) -> str:
    return f"{day.year}年{day.month}月"


def test_j7_to_j10_a_consultation_changes_the_rule_and_the_disputes_stop(
    browser: Browser, system: System, shots: Path
):
    tag = uuid.uuid4().hex[:4]
    partner = f"闪送达青浦区域合作商{tag}"
    today = datetime.now(SHANGHAI).date()
    # months back -> disputes received that month: 5, 4, 6 before the change, 1, 0, 0 after
    story = {5: 5, 4: 4, 3: 6, 2: 1, 1: 0, 0: 0}
    filed = []
    for back, count in story.items():
        received = datetime.combine(month_start(today, back).replace(day=3), time(10), SHANGHAI)
        for _ in range(count):
            filed.append(
                file_dispute(
                    system,
                    partner,
                    received_at=received.isoformat(),
                    dispute_arose_on=(received.date() - timedelta(days=10)).isoformat(),
                    received_by="王敏",
                    received_via="post",
                )
            )
    for one in filed:
        in_mediation(system, str(one["case_id"]))

    # J7: the fifth dispute against the partner raised the alert; the chair opens the
    # consultation from it.
    chair = login(browser, system, "chair")
    chair.get_by_role("navigation").get_by_role("link", name="类案预警").click()
    alert = chair.locator("section.alert-box", has_text=partner)
    expect(alert).to_contain_text("5 件")
    expect(alert).to_contain_text("罚款扣款")
    seen(chair, shots, "committee-j10-alert")
    alert.get_by_role("link", name="开启行业协商").click()
    chair.wait_for_url("**/console/consultations?alert_id=*")
    form = chair.locator("form[action='/console/consultations']")
    expect(form.get_by_label("类案预警")).to_contain_text(partner)
    form.get_by_label("标题").fill(f"{partner}超时扣款行业协商")
    people = [
        ("李总监", "闪送达平台总部（徐泾镇）", "企业总部"),
        ("赵经理", partner, "合作商/分包方"),
        ("吴师傅", "骑手代表", "骑手代表"),
        ("钱师傅", "骑手代表", "骑手代表"),
    ]
    for n, (name, organisation, side) in enumerate(people, start=1):
        form.get_by_label(f"姓名 {n}", exact=True).fill(name)
        form.get_by_label(f"单位 {n}", exact=True).fill(organisation)
        form.get_by_label(f"身份 {n}", exact=True).select_option(label=side)
    seen(chair, shots, "committee-j10-open-form")
    form.get_by_role("button", name="开启行业协商").click()
    chair.wait_for_url("**/console/consultations/*")
    expect(chair.get_by_role("heading", level=1)).to_have_text(f"{partner}超时扣款行业协商")
    expect(chair.get_by_role("link", name="来自类案预警")).to_be_visible()
    participants = chair.locator("section[aria-labelledby='people-h']")
    for name, organisation, side in people:
        expect(participants).to_contain_text(f"{name}（{organisation}，{side}）")
    seen(chair, shots, "committee-j10-opened")

    # J10: two meetings, three months ago.
    met = month_start(today, 3)
    meetings = [
        (met.replace(day=8), "徐泾镇平台总部会议室", "通报五起同类纠纷，企业承诺核查扣款规则"),
        (met.replace(day=22), "青浦区调解委员会", "总部同意停止超时扣款并退还近三个月扣款"),
    ]
    for held_on, place, summary in meetings:
        sessions = chair.locator("form[action$='/sessions']")
        sessions.get_by_label("日期").fill(held_on.isoformat())
        sessions.get_by_label("地点").fill(place)
        sessions.get_by_label("会议情况").fill(summary)
        sessions.get_by_label("出席人（用“、”分隔）").fill("李总监、赵经理、吴师傅、钱师傅")
        sessions.get_by_role("button", name="记录一次协商会议").click()
        chair.wait_for_load_state("networkidle")
        expect(
            chair.locator("section[aria-labelledby='sessions-h'] li", has_text=summary)
        ).to_be_visible()
    held = chair.locator("section[aria-labelledby='sessions-h'] li")
    expect(held).to_have_count(2)
    expect(held.first).to_contain_text(f"{met.year}年{met.month}月8日")
    seen(chair, shots, "committee-j10-sessions")

    # The agreed change: from the first of the month after the meetings; follow-up next month.
    effective = month_start(today, 2)
    follow_up = month_start(today, -1)
    agreed = chair.locator("form[action$='/agreement']")
    agreed.get_by_label("达成的规则调整（每行一项）").fill(
        f"自{effective.month}月1日起停止按超时每单扣款\n退还近三个月已扣款项"
    )
    agreed.get_by_label("生效日期").fill(effective.isoformat())
    agreed.get_by_label("跟踪回访日期").fill(follow_up.isoformat())
    agreed.get_by_role("button", name="记录达成的调整").click()
    chair.wait_for_load_state("networkidle")
    changes = chair.locator("section[aria-labelledby='agreed-h']")
    expect(changes).to_contain_text(f"自{effective.month}月1日起停止按超时每单扣款")
    expect(changes).to_contain_text("退还近三个月已扣款项")
    expect(changes).to_contain_text(f"生效日期：{effective.year}年{effective.month}月1日")
    expect(changes).to_contain_text(f"跟踪回访日期：{follow_up.year}年{follow_up.month}月1日")
    expect(chair.locator("main > p").first).to_contain_text("已达成")

    # 规范一片: month by month before and after the change — five, four, six, then one, zero, zero.
    table = chair.locator("#effect")
    for back, count in story.items():
        month = month_start(today, back)
        cell = table.locator(f"td[data-month='{month:%Y-%m}']")
        expect(cell).to_have_text(words(month))
        side = "before" if back >= 3 else "after"
        count_cell = cell.locator(f"xpath=following-sibling::td[contains(@class,'{side}')][1]")
        expect(count_cell).to_have_text(str(count))
    expect(chair.locator("#effect-total")).to_contain_text("15 / 2.5")
    expect(chair.locator("#effect-total")).to_contain_text("1 / 0.33")
    seen(chair, shots, "committee-j10-effect")

    # The committee was told of each step by notify (its inbox at least), once per step.
    consultation_id = chair.url.rstrip("/").split("/")[-1]

    def told() -> list[str]:
        got = httpx.get(
            f"{system.url('notify')}/api/v1/cases/{consultation_id}/deliveries",
            headers=OFFICER,
            timeout=10,
        )
        got.raise_for_status()
        inbox = [
            d for d in got.json() if d["party_role"] == "committee" and d["channel"] == "inapp"
        ]
        return sorted(d["event_type"] for d in inbox)

    expected = sorted(
        ["consultation.opened", "consultation.agreed"] + ["consultation.session_recorded"] * 2
    )
    eventually(lambda: told() == expected, timeout=60)

    # The list of consultations carries it with its dates.
    chair.get_by_role("navigation").get_by_role("link", name="行业协商").click()
    row = chair.locator("tr", has_text=f"{partner}超时扣款行业协商")
    expect(row).to_contain_text("已达成")
    expect(row).to_contain_text(f"{effective.year}年{effective.month}月1日")
    seen(chair, shots, "committee-j10-consultations")
    chair.context.close()
