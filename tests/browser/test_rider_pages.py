"""A rider's own pages (served by intake, no account) in Chromium at phone size, zh-CN: two
Open311 reports with one phone, both fixed and confirmed; from a tracking page the rider asks
for a code, reads the SMS (the gateway is the harness's webhook sink), signs in, sees both
tickets and the summed points with what earned them, opens a ticket's history, signs out."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.checks import seen
from tests.browser.sms import sms_system as running_system
from tests.e2e.harness import Sinks, System
from tests.e2e.test_who_sees_what import _apikey, _close_the_loop, _open311
from tests.polling import eventually

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def sms_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[System, Sinks]]:
    """The four services with an SMS gateway (the webhook sink) and notify's intake key."""
    with running_system(tmp_path_factory.mktemp("rider-pages"), console=False) as running:
        yield running


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    yield page
    context.close()


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_rider_signs_in_with_an_sms_code_and_sees_both_tickets_and_the_summed_points(
    sms_system: tuple[System, Sinks], phone: Page, shots: Path
):
    system, sinks = sms_system
    key = _apikey(system, f"rider-app-{uuid.uuid4().hex[:6]}")
    digits = f"139{uuid.uuid4().int % 10**8:08d}"
    first = _open311(system, key, phone=digits)
    second = _open311(system, key, phone=f"{digits[:3]}-{digits[3:7]}-{digits[7:]}")
    for ticket in (first, second):
        _close_the_loop(system, ticket["case_id"], ticket["code"])

    intake = system.url("intake")
    track = f"{intake}/track/{first['code']}"
    eventually(lambda: httpx.get(track, timeout=10).json()["points"] == 40, timeout=60)
    phone.goto(f"{track}?format=html")
    phone.get_by_role("link", name="我的积分和工单（凭验证码登录）").click()
    phone.wait_for_url("**/me?lang=zh-CN")
    assert phone.locator("h1").inner_text() == "我的积分和工单"
    assert _fits_the_screen(phone)
    seen(phone, shots, "rider-me-sign-in")

    phone.get_by_label("手机号或邮箱").fill(f"{digits[:3]} {digits[3:7]} {digits[7:]}")
    phone.get_by_role("button", name="发送验证码").click()
    status = phone.get_by_role("status").inner_text()
    assert f"{digits[:3]}****{digits[-4:]}" in status and digits not in status
    seen(phone, shots, "rider-me-code")

    def code_sms() -> str | None:
        for hook in sinks.hooks_at("/sms"):
            found = re.search(r"验证码 (\d{6})", str(hook.body.get("title", "")))
            # the number as the rider last reported it (with dashes here), resolved at send time
            if found and re.sub(r"\D", "", str(hook.body.get("to"))).endswith(digits):
                return found.group(1)
        return None

    code = eventually(code_sms, timeout=60)
    phone.get_by_label("6 位验证码").fill(code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/me?lang=zh-CN")
    [cookie] = [c for c in phone.context.cookies() if c["name"] == "ws_rider"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/me"
    assert phone.evaluate("document.cookie") == ""  # no script reads the session

    assert phone.locator(".points").inner_text() == "40"
    tickets = phone.locator("ul.tickets > li")
    assert tickets.count() == 2
    body = phone.locator("main").inner_text()
    assert first["code"] in body and second["code"] in body
    assert "已办结" in body  # the state in words
    assert phone.locator("ul.ledger > li").count() == 2
    assert "您获得贡献积分 20 分" in phone.locator("ul.ledger").inner_text()
    assert digits not in phone.content()
    tickets.first.locator("summary").click()
    history = tickets.first.locator("ol")
    assert history.is_visible() and "已登记受理" in history.inner_text()
    assert _fits_the_screen(phone)
    seen(phone, shots, "rider-me-account")

    phone.get_by_role("link", name=f"查看进度页（{second['code']}）").click()
    phone.wait_for_url(f"**/track/{second['code']}?format=html&lang=zh-CN")
    phone.go_back()

    phone.get_by_role("button", name="退出登录").click()
    phone.wait_for_url("**/me?lang=zh-CN&out=1")
    assert phone.get_by_role("status").inner_text() == "您已退出登录。"
    assert not [c for c in phone.context.cookies() if c["name"] == "ws_rider"]
    assert first["code"] not in phone.locator("main").inner_text()
    seen(phone, shots, "rider-me-signed-out")

    # a mistyped code: a page in his own words, never a JSON error in English
    answer = phone.goto(f"{intake}/track/ZZZZ-ZZZZ?format=html")
    assert answer is not None and answer.status == 404
    assert phone.locator("h1").inner_text() == "未找到该查询码对应的工单"
    assert _fits_the_screen(phone)
    seen(phone, shots, "rider-track-unknown-code")
