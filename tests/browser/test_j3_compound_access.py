"""J3 — a compound refuses riders entry, walked in headless Chromium in Chinese, each person in
their own browser context: three riders' apps report (Open311) that 徐泾明珠苑's gate turns riders
away at lunchtime; each report is linked to the compound and goes to its lead body (the property
office) with the residents' committee told; the residents' committee reads them under 配合处理
(nothing to press: acting is the lead's); the property office finds them in its queue and acts;
the committee follows the compound in its register and records the day it adopts the access
rules (骑手出入管理规范)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, expect

from shared.platform.masking import case_reference
from tests.browser.checks import seen
from tests.browser.test_console import login
from tests.browser.test_journeys import admin_key, open_case
from tests.e2e.harness import System
from tests.polling import eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
MINGZHU = "演示·徐泾明珠苑"  # demo-compound-06: the property office leads, no rules yet
GATE = (31.1831, 121.2741)  # about 60 m from its north gate
SOUTH_GATE = (31.1795, 121.2741)  # 400 m on: another ticket, linked to the compound by name


def report(
    system: System, key: str, n: int, text: str, place: tuple[float, float]
) -> tuple[str, str]:
    """One rider's app reports a gate (Open311): (service_request_id, tracking code)."""
    lunch = datetime.now(SHANGHAI).replace(hour=12, minute=10 + n, second=0, microsecond=0)
    form = {
        "api_key": key,
        "service_code": "compound_access",
        "lat": str(place[0]),
        "long": str(place[1]),
        "description": text,
        "first_name": f"骑手{n}",
        "email": f"rider-{uuid.uuid4().hex[:8]}@example.com",
        "attribute[severity]": "minor",
        "attribute[compound_name]": "明珠苑",
        "attribute[observed_at]": lunch.isoformat(),
    }
    base = f"{system.url('intake')}/open311/v2"
    posted = httpx.post(f"{base}/requests.json", data=form, timeout=30)
    assert posted.status_code == 201, posted.text
    [answer] = posted.json()
    tracking = CODE.search(answer["service_notice"])
    assert tracking, answer

    def request_id() -> str | None:
        found = httpx.get(f"{base}/tokens/{answer['token']}.json", timeout=10).json()
        return found[0].get("service_request_id") if found else None

    return eventually(request_id), tracking.group(0)


def test_j3_riders_report_a_gate_the_property_office_acts_the_committee_tracks_the_rules(
    browser: Browser, system: System, shots: Path
):
    key = admin_key(browser, system, shots)
    north = report(system, key, 0, "明珠苑北门保安中午不让外卖骑手进小区，只能在门口等", GATE)
    near = (GATE[0] + 0.0002, GATE[1])  # 20 m on: the same gate, merged into the first ticket
    again = report(system, key, 1, "徐泾明珠苑北门午饭时间拦住骑手，说是物业规定", near)
    south = report(system, key, 2, "明珠苑南门中午也不让骑手进，餐都凉了", SOUTH_GATE)
    filed = [north, south]  # the tickets the property office works

    # The riders' tracking pages: linked to the compound (the other body told), or merged.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    track = phone.new_page()
    track.set_default_timeout(30_000)

    def linked() -> bool:
        track.goto(f"{system.url('intake')}/track/{south[1]}?format=html")
        return "已关联小区" in track.locator("main").inner_text()

    eventually(linked, timeout=60)
    expect(track.locator("main")).to_contain_text(MINGZHU)
    seen(track, shots, "j3-rider-track")
    track.goto(f"{system.url('intake')}/track/{again[1]}?format=html")
    expect(track.get_by_text("合并").first).to_be_visible()
    expect(track.get_by_text(north[1])).to_have_count(0)  # never the first rider's code
    seen(track, shots, "j3-rider-track-merged")
    phone.close()

    # The residents' committee (the other body) finds them under 配合处理, the property office
    # named as the lead; it reads the report but has nothing to press: acting is the lead's.
    committee = login(browser, system, "xujing-rc-06")
    committee.goto(f"{system.url('console')}/console/queue")
    expect(committee.locator("#support-queue-h")).to_have_text("需配合处理的工单")
    for case_id, _code in filed:
        row = committee.locator("#support-queue tr", has_text=case_reference(case_id))
        expect(row).to_contain_text("配合处理")
        expect(row).to_contain_text("徐泾镇物业管理办公室")
        expect(row).to_contain_text(MINGZHU)
    seen(committee, shots, "j3-committee-support-queue")
    open_case(committee, south[0])
    expect(committee.locator("#supporting")).to_contain_text("徐泾镇物业管理办公室")
    expect(committee.locator("#where figure.case-map svg")).to_be_visible()
    expect(committee.locator("#reporter-notes")).to_contain_text("明珠苑南门中午也不让骑手进")
    for name in ("签收", "办结", "非本部门职责", "记录进展"):
        expect(committee.get_by_role("button", name=name)).to_have_count(0)
    expect(committee.get_by_text(south[1])).to_have_count(0)  # never the rider's code
    seen(committee, shots, "j3-committee-support-case")
    committee.context.close()

    # The property office (the lead body) finds all three in its queue and acts on them.
    office = login(browser, system, "xujing-property")
    office.goto(f"{system.url('console')}/console/queue")
    for case_id, _code in filed:
        row = office.locator("#queue tr", has_text=case_reference(case_id))
        expect(row).to_be_visible()
        expect(row).to_contain_text("小区拒绝骑手进入")
    seen(office, shots, "j3-property-queue")
    for case_id, _code in filed:
        office.goto(f"{system.url('console')}/console/queue")
        open_case(office, case_id)
        office.get_by_role("button", name="签收").click()
        expect(office.locator("#case-status")).to_have_attribute("data-state", "acknowledged")
        office.get_by_label("办结说明").fill("已与门岗沟通：午间骑手登记后放行，北门设取餐点")
        office.get_by_role("button", name="办结").click()
        expect(office.locator("#case-status")).to_have_attribute("data-state", "resolved")
    seen(office, shots, "j3-property-case")
    office.context.close()

    # The committee follows the compound: its reports, what was done, and the access rules.
    chair = login(browser, system, "chair")
    chair.goto(f"{system.url('console')}/console/compounds")
    row = chair.locator("tr", has_text=MINGZHU)
    expect(row).to_contain_text("未制定")
    expect(row).to_contain_text("徐泾明珠苑居民委员会")
    seen(chair, shots, "j3-committee-compounds")
    row.get_by_role("link", name=MINGZHU).click()
    expect(chair.locator("main table tbody tr")).to_have_count(3)  # every rider counts
    expect(chair.locator("main table")).to_contain_text("午间骑手登记后放行")
    expect(chair.locator("#rules-adopted")).to_have_attribute("data-adopted", "no")
    later = datetime.now(SHANGHAI).date() + timedelta(days=3)
    chair.get_by_label("制定日期").fill(later.isoformat())  # not yet: refused, in Chinese
    chair.get_by_role("button", name="登记已制定骑手出入管理规范").click()
    expect(chair.locator("#adoption-error")).to_contain_text("不能晚于今天")
    seen(chair, shots, "j3-committee-adoption-refused")
    today = datetime.now(SHANGHAI).date()
    chair.get_by_label("制定日期").fill(today.isoformat())
    chair.get_by_role("button", name="登记已制定骑手出入管理规范").click()
    expect(chair.get_by_role("status")).to_contain_text("已登记")
    expect(chair.locator("#rules-adopted")).to_have_attribute("data-adopted", "yes")
    expect(chair.locator("#rules-adopted")).to_contain_text(f"{today.month}月{today.day}日")
    seen(chair, shots, "j3-committee-compound-adopted")
