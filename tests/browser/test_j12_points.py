"""J12 in headless Chromium, in Chinese, each person in their own browser context: a rider with
verified reports signs in on his own page with the one-time code sent to his phone and sees one
balance and one history; on that page (390 px wide) he sees what the stations offer, books the
first-aid course of the 赵巷镇 station with its 兑换 button and is shown the reference to show
there, his new balance and his booking; the station's own staff confirm the hand-over in the
console, while another station's staff neither see it nor may confirm it (dispatch answers 403,
the page says why in Chinese), and an officer of no station is told so; the rider's balance and
ledger show both the earning and the spending, his booking 已领取. (Two riders racing for the
last place: the integration test tests/integration/test_dispatch_exchange_and_compounds.py, on
PostgreSQL.)"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.auth import OFFICER, auth_headers
from tests.browser.checks import seen
from tests.browser.conftest import USERS, _create_users
from tests.browser.sms import sms_system
from tests.browser.test_console import login
from tests.e2e.harness import Sinks, System
from tests.e2e.test_who_sees_what import _apikey, _close_the_loop, _open311
from tests.polling import eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]
PROVIDER = "zhaoxiang-xiangxin"  # 巷新驿站, 赵巷镇 (the station register)
OTHER = "huaxin-kayou"  # 华新镇卡友驿站
ADMIN = auth_headers("admin", "admin-1")
STAFF = [
    ("xiangxin-li", "intake_officer", f"{PROVIDER}/li", "李站长（巷新驿站）"),
    ("kayou-zhang", "intake_officer", f"{OTHER}/zhang", "张站长（卡友驿站）"),
]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[System, Sinks]]:
    """The whole system with an SMS gateway (the webhook sink), the console and the staff."""
    with sms_system(tmp_path_factory.mktemp("j12")) as (sut, sinks):
        _create_users(sut, [*USERS, *STAFF])
        yield sut, sinks


def _reward(system: System, reward_id: str, name: str, cost: int, stock: int) -> None:
    today = date.today()
    body = {
        "reward_id": reward_id,
        "name": name,
        "cost": cost,
        "stock": stock,
        "station_id": PROVIDER,
        "valid_from": today.isoformat(),
        "valid_to": (today + timedelta(days=60)).isoformat(),
    }
    made = httpx.post(f"{system.url('dispatch')}/api/v1/rewards", json=body, headers=ADMIN)
    assert made.status_code == 201, made.text


def _sign_in(phone: Page, system: System, sinks: Sinks, code: str, digits: str) -> None:
    """From his last notice's tracking page, with the code sent to his phone."""
    phone.goto(f"{system.url('intake')}/track/{code}?format=html")
    phone.get_by_role("link", name="我的积分和工单（凭验证码登录）").click()
    phone.wait_for_url("**/me?lang=zh-CN")
    phone.get_by_label("手机号或邮箱").fill(digits)
    phone.get_by_role("button", name="发送验证码").click()
    expect(phone.get_by_role("status")).to_contain_text(f"{digits[:3]}****{digits[-4:]}")

    def code_sms() -> str | None:
        for hook in sinks.hooks_at("/sms"):
            found = re.search(r"验证码 (\d{6})", str(hook.body.get("title", "")))
            if found and re.sub(r"\D", "", str(hook.body.get("to"))).endswith(digits):
                return found.group(1)
        return None

    phone.get_by_label("6 位验证码").fill(eventually(code_sms, timeout=60))
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/me?lang=zh-CN")


def test_j12_a_rider_books_a_course_and_the_station_confirms_he_attended(
    system: tuple[System, Sinks], browser: Browser, shots: Path
):
    sut, sinks = system
    tag = uuid.uuid4().hex[:4]
    course, battery = f"first-aid-{tag}", f"battery-{tag}"
    _reward(sut, course, "急救培训课程", 30, 20)
    _reward(sut, battery, "电动车电池检测", 40, 50)

    # 吴师傅's verified reports, from the same phone: 20 points each.
    key = _apikey(sut, f"rider-app-{tag}")
    digits = f"139{uuid.uuid4().int % 10**8:08d}"
    tickets = [_open311(sut, key, phone=digits) for _ in range(2)]
    for ticket in tickets:
        _close_the_loop(sut, ticket["case_id"], ticket["code"])
    intake = sut.url("intake")
    last = f"{intake}/track/{tickets[-1]['code']}"
    eventually(lambda: httpx.get(last, timeout=10).json()["points"] == 40, timeout=90)
    case = httpx.get(f"{intake}/api/v1/cases/{tickets[0]['case_id']}", headers=OFFICER).json()
    party = next(p["party_id"] for p in case["parties"] if p["role"] == "reporter")

    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    phone = phone_context.new_page()
    _sign_in(phone, sut, sinks, tickets[-1]["code"], digits)
    expect(phone.locator(".points")).to_have_text("40")
    expect(phone.locator("ul.ledger > li")).to_have_count(2)
    seen(phone, shots, "rider-j12-before")

    # His page shows the 赵巷镇 station's offers; he books the course there.
    exchange = phone.locator("#exchange")
    expect(exchange.get_by_role("heading", name="积分兑换")).to_be_visible()
    offer = exchange.locator(f'li[data-reward="{course}"]')
    expect(offer).to_contain_text("急救培训课程")
    expect(offer).to_contain_text("巷新驿站 · 赵巷镇")
    expect(offer).to_contain_text("积分足够")
    expect(exchange.locator(f'li[data-reward="{battery}"]')).to_contain_text("电动车电池检测")
    offer.get_by_role("button", name="兑换 急救培训课程").click()
    said = phone.locator("#exchange .booked")
    expect(said).to_contain_text("兑换成功：“急救培训课程”（巷新驿站，赵巷镇）")
    expect(said).to_contain_text("积分余额 10 分")
    found = re.search(r"#[0-9A-F]{8}", said.inner_text())
    assert found, said.inner_text()
    reference = found.group(0)
    expect(phone.locator(".points")).to_have_text("10")
    mine = phone.locator("ul.bookings > li")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(reference)
    expect(mine).to_contain_text("待领取")
    expect(exchange.locator(f'li[data-reward="{battery}"]')).to_contain_text("积分不足，还差 30 分")
    seen(phone, shots, "rider-j12-booked")
    # The station sees the same reference (its staff's confirm button names it).
    rider = auth_headers("reporter", party)
    [booked] = httpx.get(f"{sut.url('dispatch')}/api/v1/redemptions", headers=rider).json()
    assert "#" + uuid.UUID(booked["redemption_id"]).hex[:8].upper() == reference
    assert booked["reward_id"] == course and booked["state"] == "reserved"

    # Another station's staff do not see it, and may not confirm it.
    other = login(browser, sut, "kayou-zhang")
    other.get_by_role("navigation").get_by_role("link", name="积分兑换领取").click()
    expect(other.locator("#redemptions")).to_be_visible()
    expect(other.locator("#redemptions tr", has_text=reference)).to_have_count(0)
    seen(other, shots, "officer-j12-other-station")
    forged = other.request.post(
        f"{sut.url('console')}/console/redemptions/{booked['redemption_id']}/handover",
        form={"form_key": uuid.uuid4().hex},
    )
    assert forged.status == 403
    assert "只有提供该奖励的驿站工作人员才能确认领取" in forged.text()
    # An officer of no station is told why there is nothing to confirm.
    desk = login(browser, sut, "officer")
    desk.get_by_role("navigation").get_by_role("link", name="积分兑换领取").click()
    expect(desk.locator("#no-station")).to_contain_text("未关联驿站")
    seen(desk, shots, "officer-j12-no-station")

    # The provider station's staff confirm he attended.
    staff = login(browser, sut, "xiangxin-li")
    staff.get_by_role("navigation").get_by_role("link", name="积分兑换领取").click()
    row = staff.locator("#redemptions tr", has_text=reference)
    expect(staff.locator("#redemptions caption")).to_contain_text("巷新驿站")
    expect(row).to_contain_text("急救培训课程")
    expect(row).to_contain_text("已兑换，待领取")
    seen(staff, shots, "officer-j12-to-hand-over")
    row.get_by_role("button", name=f"确认已领取 {reference}").click()
    expect(staff.get_by_role("status")).to_have_text("已确认领取")
    row = staff.locator("#redemptions tr", has_text=reference)
    expect(row).to_have_attribute("data-state", "handed_over")
    expect(row).to_contain_text("已领取")
    expect(row.get_by_role("button")).to_have_count(0)
    seen(staff, shots, "officer-j12-handed-over")

    # One balance, one history: the earnings and the spending.
    def spent() -> bool:
        phone.goto(f"{intake}/me?lang=zh-CN")
        return phone.locator("ul.ledger > li").count() == 3

    eventually(spent, timeout=60)
    ledger = phone.locator("ul.ledger")
    expect(ledger.locator("> li")).to_have_count(3)
    expect(ledger).to_contain_text("获得贡献积分 20 分")
    expect(ledger).to_contain_text("兑换了“急救培训课程”")
    expect(phone.locator("ul.bookings > li")).to_contain_text("已领取")
    expect(phone.locator("ul.bookings > li")).to_have_attribute("data-state", "handed_over")
    assert digits not in phone.content()
    seen(phone, shots, "rider-j12-after")
    for page in (phone, other, desk, staff):
        page.context.close()
