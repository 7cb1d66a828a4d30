"""The committee's and the mediators' days in headless Chromium, in Chinese, each person in their
own browser context:

- J8, the committee's Monday morning: the board and its filter, overdue clocks first, a late
  dispute accepted and reassigned, the workload, the open pattern alert (J7) closed with what was
  done, the month's statistics as CSV, the duty roster with a new shift, the calendar years.
- J5, the clock runs out: a respondent keeps postponing; the mediation limit's warnings and its
  expiry show on the mediator's and the committee's pages, the parties are told once, although
  mediation restarts between the warnings and the expiry. The services run on the real clock, so
  the test feeds the timers: it moves a warning's (then the expiry's) due time into the past in
  mediation's timer table and lets the running scheduler fire it, exactly as it would on the day.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import uuid
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.contracts.glossary import written_time
from tests.auth import OFFICER
from tests.browser.checks import seen
from tests.browser.test_console import login
from tests.browser.test_mediation_console import MEDIATORS, mediator_of
from tests.e2e.harness import System
from tests.polling import eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]
SHANGHAI = ZoneInfo("Asia/Shanghai")
CONSULTED = "已约谈平台总部及区域合作商，召开行业协商会，总部承诺下月起停止该项扣款"


def file_dispute(system: System, company: str, **extra: Any) -> dict[str, Any]:
    """The desk files a dispute over intake's API (the console's form is walked in J4)."""
    tag = uuid.uuid4().hex[:8]
    body = {
        "complainant": {
            "name": "赵某",
            "phone": "13811113333",
            "email": f"rider-{tag}@example.com",
        },
        "respondents": [{"name": company, "email": f"hr-{tag}@example.com"}],
        "dispute_type": "penalty_deduction",
        "dispute_arose_on": "2026-11-02",
        "claim": "退还被扣除的配送罚款1200元",
        "claim_amount_yuan": 1200,
        "facts": "平台区域合作商以超时为由每单扣款，申请人认为扣款无依据。",
        "platform_worker": True,
        "oral_application": {"confirmed_by_applicant": True, "read_back_by": "officer-1"},
    } | extra
    filed = httpx.post(
        f"{system.url('intake')}/api/v1/disputes", json=body, headers=OFFICER, timeout=15
    )
    assert filed.status_code == 201, filed.text
    return filed.json()  # type: ignore[no-any-return]


def in_mediation(system: System, case_id: str) -> None:
    """Mediation has registered the filing (its event is on the way)."""

    def known() -> bool:
        got = httpx.get(
            f"{system.url('mediation')}/api/v1/disputes/{case_id}", headers=OFFICER, timeout=5
        )
        return got.status_code == 200

    eventually(known, timeout=60)


def accept_on_case_page(committee: Page, system: System, case_id: str) -> str:
    """The committee opens the case and accepts it; the mediator line that follows."""
    committee.goto(f"{system.url('console')}/console/cases/{case_id}")
    committee.get_by_role("button", name="受理", exact=True).click()
    expect(committee.locator("#case-status")).to_have_attribute("data-state", "assigned")
    return committee.locator("#mediation p").first.inner_text()


def feed_timer(system: System, case_id: str, kind: str) -> str:
    """Make the case's next pending timer of `kind` (SQL LIKE) due now; its kind."""
    database = system.folder / "data" / "mediation.db"
    key = uuid.UUID(case_id).hex
    with closing(sqlite3.connect(database, timeout=30)) as conn:
        row = conn.execute(
            "SELECT id, kind FROM timer WHERE case_id = ? AND kind LIKE ?"
            " AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY due_at LIMIT 1",
            (key, kind),
        ).fetchone()
        assert row is not None, f"no pending {kind} timer for {case_id}"
        conn.execute(
            "UPDATE timer SET due_at = '2000-01-01 00:00:00.000000' WHERE id = ?", (row[0],)
        )
        conn.commit()
    return str(row[1])


def test_j8_the_committees_monday_morning(browser: Browser, system: System, shots: Path):
    tag = uuid.uuid4().hex[:4]
    partner = f"骑来骑往配送服务有限公司{tag}"
    pattern = [file_dispute(system, partner) for _ in range(5)]
    received = datetime.now(SHANGHAI) - timedelta(days=8)
    late = file_dispute(
        system,
        f"沪青劳务外包有限公司{tag}",
        dispute_type="unpaid_wages",
        claim="支付2026年10月工资8600元",
        received_at=received.isoformat(),
        received_by="王敏",
        received_via="post",
    )
    for filed in (*pattern, late):
        in_mediation(system, str(filed["case_id"]))

    chair = login(browser, system, "chair")
    assert chair.url.endswith("/console/board")
    expect(chair.locator("#board tr", has_text=late["tracking_code"])).to_be_visible()
    seen(chair, shots, "committee-j8-board")
    chair.locator("a[href='/console/board?state=acceptance_review']").click()
    expect(chair.locator("#board caption")).to_contain_text("纠纷看板 · ")
    expect(chair.locator("#board tr", has_text=late["tracking_code"])).to_be_visible()
    seen(chair, shots, "committee-j8-board-waiting")

    # Overdue first: the late entry's acceptance target ran out before it was entered.
    chair.get_by_role("navigation").get_by_role("link", name="法定期限").click()
    expect(chair.locator("tbody tr").first).to_have_class("flag-overdue")
    late_row = chair.locator("tr.flag-overdue", has_text=late["tracking_code"])
    expect(late_row.locator(".badge.overdue")).to_have_text("已逾期")
    expect(late_row.locator(".days-left")).to_contain_text(re.compile(r"逾期\d+天"))  # not "-4"
    expect(late_row).to_contain_text("未指派")  # no blank where the mediator goes
    seen(chair, shots, "committee-j8-clocks")

    line = accept_on_case_page(chair, system, str(late["case_id"]))
    before = mediator_of(line)
    reassign = chair.locator("#reassign-form")
    target = reassign.locator("option").first.inner_text()
    reassign.get_by_label("新调解员").select_option(label=target)
    reassign.get_by_label("理由").fill("原调解员周一起休假")
    reassign.get_by_role("button", name="改派调解员").click()
    expect(chair.locator("#mediation p").first).to_contain_text(target)
    expect(chair.locator("#timeline")).to_contain_text(target)
    seen(chair, shots, "committee-j8-reassigned")

    chair.get_by_role("navigation").get_by_role("link", name="工作量").click()
    expect(chair.locator("tr", has_text=target).first).to_be_visible()
    seen(chair, shots, "committee-j8-workload")

    # J7: the fifth dispute against the partner raised one alert; the committee says what it did.
    chair.get_by_role("navigation").get_by_role("link", name="类案预警").click()
    alert = chair.locator("section.alert-box", has_text=partner)
    expect(alert).to_contain_text("5 件")
    expect(alert.locator("a[href^='/console/cases/']")).to_have_count(5)  # its five disputes
    for link in alert.locator("a[href^='/console/cases/']").all():  # named by tracking code
        expect(link).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(alert.get_by_role("link", name="开启行业协商")).to_have_count(1)
    seen(chair, shots, "committee-j8-alerts")
    alert.get_by_label("处理情况（已采取的措施）").fill(CONSULTED)
    alert.get_by_role("button", name="已处理").click()
    expect(chair.get_by_role("status")).to_contain_text("预警已处理")
    expect(chair.locator("section.alert-box", has_text=partner)).to_have_count(0)
    handled = chair.locator("#handled tr", has_text=partner)
    expect(handled).to_contain_text(CONSULTED)
    expect(handled).to_contain_text("罚款扣款")
    seen(chair, shots, "committee-j8-alerts-handled")

    chair.get_by_role("navigation").get_by_role("link", name="统计").click()
    expect(chair.locator("svg.chart").first).to_be_visible()
    expect(chair.locator("table thead th").first).to_have_text("月份")  # what the rows are
    seen(chair, shots, "committee-j8-statistics")
    with chair.expect_download() as download:
        chair.locator("#month-csv").click()
    month = datetime.now(SHANGHAI).month
    assert download.value.suggested_filename.endswith(f"-{month}.csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows and "filed" in rows[0]

    # The duty roster: a refused shift says why by its form; a good one is listed in words.
    chair.get_by_role("navigation").get_by_role("link", name="值班名册").click()
    expect(chair.locator("#on-duty")).to_contain_text("区总工会快递行业工会")
    expect(chair.locator("#shift-list")).to_contain_text("在下方添加排班")  # empty, and what to do
    seen(chair, shots, "committee-j8-roster")
    monday = datetime.now(SHANGHAI).date() + timedelta(days=7 - datetime.now(SHANGHAI).weekday())
    form = chair.locator("#shift-form")
    form.get_by_label("值班单位").select_option(label="华新镇司法所")
    form.get_by_label("开始日期").fill((monday + timedelta(days=6)).isoformat())
    form.get_by_label("结束日期").fill(monday.isoformat())
    form.get_by_role("button", name="添加排班").click()
    expect(chair.locator("#shift-error")).to_contain_text("结束日期早于开始日期")
    seen(chair, shots, "committee-j8-roster-refused")
    form = chair.locator("#shift-form")
    form.get_by_label("开始日期").fill(monday.isoformat())
    form.get_by_label("结束日期").fill((monday + timedelta(days=6)).isoformat())
    form.get_by_label("周二", exact=True).check()
    form.get_by_label("周四", exact=True).check()
    form.get_by_label("说明").fill(f"节后补班{tag}")
    form.get_by_role("button", name="添加排班").click()
    shift = chair.locator("#shift-list tr", has_text=f"节后补班{tag}")
    expect(shift).to_contain_text("华新镇司法所")
    expect(shift).to_contain_text("周二、周四")
    expect(shift).to_contain_text("09:00–17:00")
    seen(chair, shots, "committee-j8-roster-shift")

    chair.get_by_role("navigation").get_by_role("link", name="工作日历").click()
    seen(chair, shots, "committee-j8-calendar")
    form = chair.locator("#calendar-form")
    form.get_by_label("年份").fill("2031")
    form.get_by_label("放假日期（非周末）").fill("2031-01-01\n2031-10-01, 2031-10-02")
    form.get_by_label("依据文件").fill("国办发明电〔2030〕号（演练）")
    form.get_by_role("button", name="载入年度节假日安排").click()
    expect(chair.get_by_role("status")).to_contain_text("2031年节假日安排已载入")
    expect(chair.locator("#years tr[data-year='2031']")).to_contain_text("调委会载入")
    seen(chair, shots, "committee-j8-calendar-loaded")

    # The new mediator has the case on Monday morning; the one it was taken from does not.
    mediator = login(browser, system, MEDIATORS[target])
    expect(mediator.locator("#my-cases tr", has_text=late["tracking_code"])).to_be_visible()
    seen(mediator, shots, "mediator-j8-my-cases")
    old = login(browser, system, before)
    expect(old.locator("#my-cases tr", has_text=late["tracking_code"])).to_have_count(0)
    for page in (chair, mediator, old):
        page.context.close()


def test_j5_the_clock_runs_out_and_everyone_sees_it_once(
    browser: Browser, system: System, shots: Path
):
    tag = uuid.uuid4().hex[:4]
    arose = (datetime.now(SHANGHAI) - timedelta(days=30)).date()
    filed = file_dispute(system, f"快送平台{tag}", dispute_arose_on=arose.isoformat())
    case_id, code = str(filed["case_id"]), filed["tracking_code"]
    in_mediation(system, case_id)

    chair = login(browser, system, "chair")
    mediator_id = mediator_of(accept_on_case_page(chair, system, case_id))

    me = login(browser, system, mediator_id)
    row = me.locator("#my-cases tr", has_text=code)
    expect(row).to_contain_text("调解期限")
    row.get_by_role("link", name=code).click()
    me.get_by_role("button", name="开始调解").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "in_mediation")
    starts = (datetime.now(SHANGHAI) + timedelta(days=2)).replace(hour=14, minute=0)
    form = me.locator("#schedule-form")
    form.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("地点", exact=True).fill("华新镇骑手驿站调解室")
    form.get_by_role("button", name="安排调解会").click()
    # The respondent asks to postpone: the session moves.
    later = starts + timedelta(days=3)
    moved = me.locator("form", has=me.get_by_role("button", name="改期"))
    moved.get_by_label("开始时间").fill(later.strftime("%Y-%m-%dT%H:%M"))
    moved.get_by_label("理由").fill("被申请人负责人出差，申请延后")
    moved.get_by_role("button", name="改期").click()
    expect(me.get_by_role("cell", name=written_time(later, "zh"), exact=True)).to_be_visible()
    seen(me, shots, "mediator-j5-postponed")

    warnings = me.locator("#timeline tr[data-event='deadline.warning']")
    for expected in (1, 2):  # day 10, then day 13
        assert feed_timer(system, case_id, "mediation_limit:warn:%")
        expect(warnings).to_have_count(expected, timeout=60_000)
    seen(me, shots, "mediator-j5-warned")

    # Day 14: mediation restarts; the expiry still happens once.
    system.stop("mediation")
    system.start("mediation")
    system.wait_ready("mediation")
    assert feed_timer(system, case_id, "mediation_limit:expire") == "mediation_limit:expire"
    expect(me.locator("#case-status")).to_have_attribute(
        "data-state", "expired_no_agreement", timeout=60_000
    )
    me.reload()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "expired_no_agreement")
    limit = me.locator("tr", has_text="调解期限").filter(has_text="已届满")
    expect(limit.first).to_be_visible()
    expect(me.get_by_role("button", name="开始调解")).to_have_count(0)
    expect(me.get_by_role("button", name="安排调解会")).to_have_count(0)
    seen(me, shots, "mediator-j5-expired")

    chair.goto(f"{system.url('console')}/console/cases/{case_id}")
    expect(chair.locator("#timeline tr[data-event='mediation.expired']")).to_have_count(1)
    expect(chair.locator("#timeline tr[data-event='deadline.warning']")).to_have_count(2)
    expect(chair.locator("#timeline")).to_contain_text("仲裁")
    # The postponed session was never held: it no longer reads 已安排 on a finished case.
    expect(chair.get_by_role("cell", name=re.compile("^未记录召开")).first).to_be_visible()
    for role in ("complainant", "respondent"):  # told of arbitration, once on each channel
        told = chair.locator(f"#deliveries tr[data-event='mediation.expired'][data-role='{role}']")
        expect(told.first).to_be_visible(timeout=60_000)
        expect(told.first).to_contain_text("调解期满未达成协议")
        channels = [told.nth(i).get_attribute("data-channel") for i in range(told.count())]
        assert len(channels) == len(set(channels)), f"{role} told twice: {channels}"
        sent = told.and_(chair.locator("tr[data-status='sent']"))
        expect(sent.first).to_be_visible(timeout=60_000)
    warned = chair.locator("#deliveries tr[data-event='deadline.warning']")
    expect(warned.first).to_be_visible()
    # who was told what is in the deliveries table; the timeline keeps to what happened
    expect(chair.locator("#timeline tr[data-event^='notification.']")).to_have_count(0)
    seen(chair, shots, "committee-j5-expired-case")
    chair.get_by_role("navigation").get_by_role("link", name="法定期限").click()
    expect(chair.locator("tr.flag-overdue", has_text=code).first).to_be_visible()
    seen(chair, shots, "committee-j5-clocks")
    # Nothing was sent twice, although mediation restarted between the warnings and the expiry.
    assert not _twice(system, case_id)
    for page in (chair, me):
        page.context.close()


def _twice(system: System, case_id: str) -> bool:
    """Whether notify planned any (event, party) notice of the case twice."""
    got = httpx.get(
        f"{system.url('notify')}/api/v1/cases/{case_id}/deliveries", headers=OFFICER, timeout=5
    )
    got.raise_for_status()
    seen_: set[tuple[str, str, str]] = set()
    for d in got.json():
        key = (d["event_type"], d["party_role"], d["channel"])
        if d["event_type"] in ("mediation.expired", "deadline.expired") and key in seen_:
            return True
        seen_.add(key)
    return False
