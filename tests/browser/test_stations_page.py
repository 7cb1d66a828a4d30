"""The riders' station page (served by dispatch, no login) in Chromium at phone size, zh-CN:
"near me" from the phone's position, the list with reach times, one station's hours and duty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NEAR_KAYOU = {"latitude": 31.2470, "longitude": 121.2185}  # 华新镇, beside the truckers' station


@pytest.fixture(scope="module")
def dispatch_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    folder = tmp_path_factory.mktemp("stations-page")
    sinks = Sinks()
    databases = {n: f"sqlite+aiosqlite:///{folder / f'{n}.db'}" for n in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        try:
            sut.start("dispatch")
            sut.wait_ready("dispatch")
            yield sut
        finally:
            sut.stop_all()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation=NEAR_KAYOU,
        permissions=["geolocation"],
    )
    page = context.new_page()
    yield page
    context.close()


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_rider_finds_the_nearest_stations_from_the_phone_without_logging_in(
    dispatch_only: System, phone: Page, shots: Path
):
    phone.goto(f"{dispatch_only.url('dispatch')}/stations")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert phone.locator("h1").inner_text() == "骑手服务阵地地图"
    assert "华新镇卡友驿站" in phone.locator("ul.stations").inner_text()  # the seed's stations
    assert phone.get_by_label("或选择镇街").is_visible()  # "镇街", as on every other page
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(shots / "stations-phone-start.png"), full_page=True)

    phone.get_by_role("button", name="用我的位置找附近阵地").click()
    phone.wait_for_url("**/stations?lat=*")
    assert phone.locator("h2").first.inner_text() == "离我最近的阵地"
    first = phone.locator("ul.stations li").first
    assert "华新镇卡友驿站" in first.inner_text()
    assert "步行约" in first.inner_text() and "电动车约" in first.inner_text()
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(shots / "stations-phone-near-me.png"), full_page=True)

    phone.get_by_label("需要的设施").select_option(label="法律服务")
    phone.get_by_role("button", name="查找").click()
    phone.wait_for_url("**facility=legal_help*")
    names = phone.locator("ul.stations li strong").all_inner_texts()
    assert names and names[0] == "华新镇卡友驿站"

    phone.locator("ul.stations li a").first.click()
    phone.wait_for_url("**/stations/huaxin-kayou")
    body = phone.locator("main").inner_text()
    assert "开放时间" in body and "每天 08:00–20:00" in body and "法律服务值班" in body
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(shots / "stations-phone-station.png"), full_page=True)


def test_a_position_outside_the_district_gets_a_chinese_message_not_an_error_page(
    dispatch_only: System, phone: Page
):
    phone.goto(f"{dispatch_only.url('dispatch')}/stations?lat=39.9&lng=116.4")
    assert phone.get_by_role("alert").inner_text() == "位置（39.9, 116.4）不在本区范围内"
    assert phone.locator("h2").first.inner_text() == "重点阵地"
