"""J13 — where help sits today, walked in headless Chromium in Chinese, each person in their own
browser context: the committee seats the judicial office at the truckers' station (华新镇卡友驿站)
on the duty roster; a driver's app files a fare dispute in 华新镇 and his tracking page and his
notice name that station, how far, and that legal help is on duty; at the station the intake
officer finds that same case by its tracking code and supplements it (补充申请材料: the amount,
the company's e-mail, where a session can be held, from the stations with legal help nearest the
workplace); the committee accepts that case; the mediator's session form has that station
chosen; every party's notice names it with its address; the committee opens the coverage view,
where hazard reports along a road in 练塘镇 lie in no one's circle while the station there is
closed; the admin extends that station's hours in the console's register, and the view shows the
road covered.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.auth import OFFICER, auth_headers
from tests.browser.checks import seen
from tests.browser.conftest import _create_users
from tests.browser.test_console import login
from tests.browser.test_mediation_console import mediator_of
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis
from tests.polling import eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
KAYOU = "华新镇卡友驿站"  # in the demo register, with legal help
NEAR_KAYOU = (31.2385, 121.2178)  # about 1.1 km south of it, in 华新镇


@pytest.fixture(scope="module")
def sinks() -> Iterator[Sinks]:
    """The mail and webhook sinks, kept to read each party's notices."""
    sinks = Sinks()
    sinks.start()
    yield sinks
    sinks.stop()


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory, sinks: Sinks) -> Iterator[System]:
    folder = tmp_path_factory.mktemp("j13")
    databases = {n: f"sqlite+aiosqlite:///{folder / 'data' / f'{n}.db'}" for n in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        try:
            sut.start_all()
            _create_users(sut)
            yield sut
        finally:
            sut.stop_all()


def _today() -> date:
    return datetime.now(SHANGHAI).date()


def _seat_the_judicial_office(browser: Browser, system: System, shots: Path) -> None:
    """The committee adds a shift in the console: 华新镇司法所 at the truckers' station. Every day
    and all day, so that it is on duty whenever the suite runs (J13 says Tue/Thu 9–17)."""
    chair = login(browser, system, "chair")
    chair.goto(f"{system.url('console')}/console/roster")
    form = chair.locator("#shift-form")
    form.get_by_label("值班单位").select_option(label="华新镇司法所")
    form.get_by_label("开始日期").fill(_today().isoformat())
    form.get_by_label("结束日期").fill((_today() + timedelta(days=30)).isoformat())
    form.get_by_label("开始时间").fill("00:00")
    form.get_by_label("结束时间").fill("23:59")
    form.get_by_label("驻点阵地").select_option(label=f"华新镇 · {KAYOU}")
    form.get_by_role("button", name="添加排班").click()
    row = chair.locator("#shift-list tr", has_text=KAYOU)
    expect(row).to_contain_text("华新镇司法所")
    seen(chair, shots, "j13-committee-roster")
    chair.context.close()

    def on_the_station_page() -> bool:  # dispatch hears of the roster by its event
        page = httpx.get(f"{system.url('dispatch')}/stations/huaxin-kayou", timeout=10)
        return page.status_code == 200 and "华新镇司法所" in page.text

    eventually(on_the_station_page, timeout=60)


# The fare was deducted a week ago (the day that starts the limitation clock, #19).
_AROSE = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=7)).date().isoformat()


def _app_files(system: System, email: str) -> str:
    """The rider app files the driver's fare dispute with his position (intake's API)."""
    dispute = {
        "complainant": {"name": "周师傅", "phone": "13822223333", "email": email},
        "respondents": [{"name": "沪青出行科技有限公司", "org_code": "91310118HQCX00002A"}],
        "dispute_type": "penalty_deduction",
        "claim": "退还平台扣除的车费320元",
        "facts": "平台以绕路为由扣除车费，行程记录显示并未绕路。",
        "dispute_arose_on": _AROSE,
        "platform_worker": True,
        "latitude": NEAR_KAYOU[0],
        "longitude": NEAR_KAYOU[1],
    }
    filed = httpx.post(
        f"{system.url('intake')}/api/v1/disputes", headers=OFFICER, json=dispute, timeout=30
    )
    assert filed.status_code == 201, filed.text
    return str(filed.json()["tracking_code"])


ROAD = (30.962, 121.200)  # a road in 练塘镇 no demo station reaches
WEEKDAYS = "一二三四五六日"


def _a_station_by_the_road_and_reports_along_it(system: System) -> str:
    """A station by the road, open only on another day (so closed whenever the reports come
    in), and three hazard reports along the road (intake's and dispatch's APIs)."""
    other_day = WEEKDAYS[(_today().weekday() + 3) % 7]
    name = f"练塘镇路边驿站{uuid.uuid4().hex[:4]}"
    station = {
        "name": name,
        "kind": "驿站",
        "town": "练塘镇",
        "address": "练塘镇某路1号",
        "latitude": ROAD[0] + 0.001,
        "longitude": ROAD[1] + 0.002,
        "opening_hours": f"周{other_day} 09:00-17:00",
        "facilities": ["热水", "充电"],
    }
    made = httpx.post(
        f"{system.url('dispatch')}/api/v1/stations",
        headers=auth_headers("admin", "admin"),
        json=station,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    for n in range(3):
        hazard = {
            "category": "road_damage",
            "latitude": ROAD[0],
            "longitude": ROAD[1] + n * 0.002,
            "description": "练塘镇这条路夜里没有路灯，路面坑洼。",
            "reporter": {"name": "骑手", "phone": "13833334444"},
        }
        filed = httpx.post(
            f"{system.url('intake')}/api/v1/hazards", headers=OFFICER, json=hazard, timeout=10
        )
        assert filed.status_code == 201, filed.text
    return name


def _liantang(system: System) -> dict[str, Any] | None:
    """练塘镇's line of the coverage, once dispatch has the three reports."""
    answer = httpx.get(
        f"{system.url('dispatch')}/api/v1/stations/coverage",
        headers=auth_headers("committee", "chair"),
        timeout=10,
    )
    town = next((t for t in answer.json()["towns"] if t["town"] == "liantang"), None)
    return town if town and town["reports"] >= 3 else None


def test_j13_the_nearest_legal_help_a_session_at_the_station_and_the_coverage_view(
    browser: Browser, system: System, sinks: Sinks, shots: Path
):
    _seat_the_judicial_office(browser, system, shots)

    # 12:40, on his phone: the tracking page names the station, how far, and who is on duty.
    email = f"driver-{uuid.uuid4().hex[:8]}@example.com"
    code = _app_files(system, email)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    track = phone.new_page()
    track.set_default_timeout(30_000)

    def tracked() -> bool:
        track.goto(f"{system.url('intake')}/track/{code}?format=html")
        return KAYOU in track.locator("main").inner_text()

    eventually(tracked, timeout=60)
    shown = track.locator("main").inner_text()
    assert "就近的法律服务" in shown
    assert "步行约 14 分钟" in shown and "电动车约 5 分钟" in shown
    assert "司法所值班" in shown
    seen(track, shots, "j13-driver-track")
    phone.close()
    notice = eventually(
        lambda: next((m for m in sinks.mails_to(email) if "法律服务" in m.subject), None),
        timeout=60,
    )
    assert KAYOU in notice.body and "步行约 14 分钟" in notice.body
    assert "电动车约 5 分钟" in notice.body and "司法所" in notice.body

    # At the station: the officer finds the app's case by its code and supplements the claim
    # (补充申请材料): the amount, the company's e-mail for service, and where a session can be
    # held, from the stations with legal help nearest his workplace.
    officer = login(browser, system, "officer")
    officer.get_by_role("link", name="案件列表").click()
    officer.get_by_label("查询码").fill(code.replace("-", "").lower())  # as he reads it out
    officer.get_by_role("button", name="筛选").click()
    officer.locator("table").get_by_role("link", name=code).click()
    supplement = officer.locator("#supplement")
    supplement.locator("summary").click()
    company_mail = f"legal-{uuid.uuid4().hex[:8]}@example.com"
    supplement.get_by_label("请求金额（元）").fill("320")
    supplement.get_by_label("被申请人名称", exact=True).fill("沪青出行科技有限公司")
    supplement.get_by_label("被申请人邮箱（用于送达通知）", exact=True).fill(company_mail)
    places = supplement.locator("#session-stations")
    places.get_by_role("button", name="查找附近阵地").click()
    supplement = officer.locator("#supplement")
    places = supplement.locator("#session-stations")
    choice = places.locator("label", has_text=KAYOU)
    expect(choice).to_contain_text("步行约 14 分钟")
    expect(choice).to_contain_text("现在有法律服务值班")
    expect(supplement.get_by_label("请求金额（元）")).to_have_value("320")  # nothing lost
    choice.get_by_role("radio").check()
    supplement.get_by_label("补充说明（补充了什么）").fill("到站补充请求金额、平台邮箱和调解地点")
    seen(officer, shots, "j13-officer-supplement-stations")
    supplement.locator("form").get_by_role("button", name="补充申请材料").click()
    expect(officer.locator("#supplemented")).to_be_visible()
    expect(officer.locator("main")).to_contain_text("工作人员补充了申请材料")
    seen(officer, shots, "j13-officer-case-supplemented")
    officer.context.close()
    told = eventually(
        lambda: next((m for m in sinks.mails_to(email) if "申请材料已补充" in m.subject), None),
        timeout=60,
    )
    assert "320.00 元" in told.body and "希望的调解地点" in told.body

    # The committee accepts; the case says where the session can be held.
    chair = login(browser, system, "chair")
    row = chair.locator("#board tr", has_text=code)
    expect(row).to_be_visible()
    row.get_by_role("link", name=code).click()
    expect(chair.locator("#preferred-station")).to_contain_text(KAYOU)
    chair.get_by_role("button", name="受理", exact=True).click()
    expect(chair.locator("#case-status")).to_have_attribute("data-state", "assigned")
    line = chair.locator("#mediation p").first.inner_text()
    chair.context.close()

    # The mediator sets the session at that station: it is chosen already, in words.
    me = login(browser, system, mediator_of(line))
    me.locator("#my-cases tr", has_text=code).get_by_role("link", name=code).click()
    me.get_by_role("button", name="开始调解").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "in_mediation")
    form = me.locator("#schedule-form")
    place = form.get_by_label("在阵地开会")
    expect(place.locator("option:checked")).to_contain_text(KAYOU)
    starts = (datetime.now(SHANGHAI) + timedelta(days=2)).replace(hour=10, minute=0)
    form.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    seen(me, shots, "j13-mediator-schedule-at-station")
    form.get_by_role("button", name="安排调解会").click()
    expect(me.get_by_role("cell", name=KAYOU).first).to_be_visible()
    seen(me, shots, "j13-mediator-session-set")
    me.context.close()

    # Every party's notice names the station with its address.
    for address in (email, company_mail):
        invitation = eventually(
            lambda a=address: next(
                (m for m in sinks.mails_to(a) if "调解会议安排" in m.subject), None
            ),
            timeout=60,
        )
        assert f"地点：{KAYOU}（华新镇" in invitation.body, invitation.body

    # That evening the committee opens the coverage view: 华新镇's reports are counted.
    chair = login(browser, system, "chair")
    chair.get_by_role("link", name="15分钟服务圈").click()
    expect(chair.locator("#coverage-total")).to_contain_text("电动车")
    expect(chair.locator("#coverage-towns tr[data-town='huaxin']")).to_contain_text("华新镇")
    expect(chair.locator("svg.map")).to_be_visible()
    seen(chair, shots, "j13-committee-coverage")

    # A cluster of hazard reports along one road in 练塘镇 lies in no one's circle: the station
    # there is closed whenever they come in.
    station = _a_station_by_the_road_and_reports_along_it(system)
    before = eventually(lambda: _liantang(system), timeout=60)
    assert before["covered"] == 0
    chair.reload()
    road = chair.locator("#coverage-towns tr[data-town='liantang']")
    expect(road.locator("td").nth(0)).to_have_text("练塘镇")
    expect(road.locator("td").nth(2)).to_have_text("0")
    seen(chair, shots, "j13-committee-coverage-road-uncovered")

    # The admin extends that station's hours in the console's register (around the clock).
    admin = login(browser, system, "admin")
    admin.get_by_role("link", name="阵地地图").click()
    admin.locator("#f-town").select_option(label="练塘镇")
    admin.get_by_role("button", name="筛选").click()
    row = admin.locator("#stations tr", has_text=station)
    row.get_by_text("修改营业时间").click()
    row.get_by_label("开放时间").fill("24小时")
    seen(admin, shots, "j13-admin-station-hours")
    row.get_by_role("button", name="保存营业时间").click()
    expect(admin.locator("#hours-changed")).to_be_visible()
    expect(admin.locator("#stations tr", has_text=station)).to_contain_text("每天 00:00–24:00")
    seen(admin, shots, "j13-admin-station-hours-changed")
    admin.context.close()

    # The next day's view shows the road covered.
    after = eventually(lambda: (t := _liantang(system)) and t["covered"] >= 3 and t, timeout=60)
    assert after["covered"] == after["reports"]
    chair.reload()
    road = chair.locator("#coverage-towns tr[data-town='liantang']")
    expect(road.locator("td").nth(2)).to_have_text(str(after["covered"]))
    expect(road.locator("td").nth(3)).to_have_text("100%")
    seen(chair, shots, "j13-committee-coverage-road-covered")
