"""Journeys J1, J2, J9 and J11 in headless Chromium, each person in their own browser context:
the rider through an Open311 app and the tracking page, the department and the supervisors in
the console, the admin setting up keys, accounts and targets. Each page a person sees is
screenshotted (test-artifacts/screenshots/) and checked: no raw code in zh-CN, axe-core basics.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.platform.masking import case_reference
from tests.browser.checks import seen
from tests.browser.conftest import _create_users
from tests.browser.test_console import login, tiny_png
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis
from tests.polling import eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
# Places of their own (no accidental merges across journeys): 赵巷镇 and 徐泾镇.
ZHAOXIANG = [(31.1540, 121.1947), (31.1200, 121.2300), (31.1000, 121.1700)]
XUJING = [(31.1900, 121.2900), (31.2300, 121.2700)]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The whole system, its timers polled often enough for an escalation within the test."""
    folder = tmp_path_factory.mktemp("journeys")
    sinks = Sinks()
    sinks.start()
    databases = {n: f"sqlite+aiosqlite:///{folder / 'data' / f'{n}.db'}" for n in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        sut.env["DISPATCH_TIMER_POLL_INTERVAL"] = "0.5"
        try:
            sut.start_all()
            _create_users(sut)
            yield sut
        finally:
            sut.stop_all()
            sinks.stop()


def admin_key(browser: Browser, system: System, shots: Path, department: str = "") -> str:
    """The admin makes an API key in the console (a rider app's, or a department system's)."""
    admin = login(browser, system, "admin")
    admin.get_by_role("link", name="接口密钥").click()
    admin.get_by_label("密钥名称").fill(f"app-{uuid.uuid4().hex[:6]}")
    if department:
        admin.get_by_label("绑定部门（部门系统回传进展用）").select_option(department)
    admin.get_by_role("button", name="创建").click()
    key = admin.locator("#key-value").inner_text().strip()
    seen(admin, shots, "admin-keys")
    admin.context.close()
    assert len(key) >= 20
    return key


def open311_post(
    system: System, key: str, code: str, place: tuple[float, float], text: str, name: str
) -> tuple[str, str]:
    """The rider's app files over Open311 with a photo: (service_request_id, tracking code)."""
    form = {
        "api_key": key,
        "service_code": code,
        "lat": str(place[0]),
        "long": str(place[1]),
        "description": text,
        "first_name": name,
        "email": f"rider-{uuid.uuid4().hex[:8]}@example.com",
        "attribute[severity]": "danger",
    }
    files = {"media": ("snap.png", tiny_png(), "image/png")}
    base = f"{system.url('intake')}/open311/v2"
    posted = httpx.post(f"{base}/requests.json", data=form, files=files, timeout=30)
    assert posted.status_code == 201, posted.text
    [answer] = posted.json()
    tracking = CODE.search(answer["service_notice"])
    assert tracking, answer

    def request_id() -> str | None:
        found = httpx.get(f"{base}/tokens/{answer['token']}.json", timeout=10).json()
        return found[0].get("service_request_id") if found else None

    return eventually(request_id), tracking.group(0)


def rider(browser: Browser, system: System, code: str) -> Page:
    """The rider's phone: the public tracking page, no account."""
    context = browser.new_context(viewport={"width": 420, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{system.url('intake')}/track/{code}?format=html")
    return page


def wait_for_state(page: Page, state: str, timeout: float = 60) -> None:
    """Reload the tracking page until the ticket reaches `state` (the page does not poll)."""

    def there() -> bool:
        got = httpx.get(f"{page.url.split('?')[0]}", timeout=10).json()
        return bool(got["status"] == state)

    eventually(there, timeout)
    page.reload()


def open_case(page: Page, case_id: str) -> None:
    """A department's queue names a ticket by its reference, never the reporter's tracking code
    (the code is the reporter's credential)."""
    reference = case_reference(case_id)
    row = page.locator("tr", has_text=reference).first
    expect(row).to_be_visible()
    row.get_by_role("link", name=reference).click()


def test_j1_a_rider_snaps_a_hazard_the_department_fixes_it_and_the_rider_confirms(
    browser: Browser, system: System, shots: Path
):
    key = admin_key(browser, system, shots)
    request_id, code = open311_post(
        system, key, "manhole_cover", ZHAOXIANG[0], "赵巷镇人行道上窨井盖缺失，差点踩空", "吴"
    )
    phone = rider(browser, system, code)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.locator("ul.photos img")).to_have_count(1)  # the snap he sent
    expect(phone.get_by_text("已上传附件（照片）")).to_be_visible()  # never "image/png"
    seen(phone, shots, "j1-rider-track-filed")

    office = login(browser, system, "zhaoxiang-road")
    menu = office.get_by_role("navigation")
    expect(menu.get_by_role("link", name="待办隐患")).to_have_count(1)
    expect(menu.get_by_role("link", name="督办件")).to_have_count(0)  # not a supervisor
    open_case(office, request_id)
    expect(office.locator("#photos img").first).to_be_visible()
    expect(office.locator("#where svg")).to_be_visible()
    # the office holds a case number, not the reporter's code: its timeline says which it is
    expect(office.locator("body")).to_contain_text(f"案件编号 {case_reference(request_id)}")
    expect(office.locator("body")).not_to_contain_text("查询码 #")
    office.get_by_role("button", name="签收").click()
    expect(office.locator("#case-status")).to_have_attribute("data-state", "acknowledged")
    office.get_by_label("办结说明").fill("已补装新井盖")
    office.get_by_label("处置照片").set_input_files(
        {"name": "fix.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    office.get_by_role("button", name="办结").click()
    expect(office.locator("#case-status")).to_have_attribute("data-state", "resolved")
    expect(office.locator("#hazard-actions-h")).to_contain_text("本部门处置")
    expect(office.locator("#back")).to_have_attribute("href", "/console/queue")
    seen(office, shots, "j1-department-case")

    wait_for_state(phone, "resolved")
    expect(phone.get_by_text("修好了吗？")).to_be_visible()
    # his page tells what happened to the manhole, not whom the system e-mailed about it
    expect(phone.locator("ol.timeline")).to_contain_text("责任部门已处置")
    expect(phone.locator("ol.timeline")).not_to_contain_text("已通知相关方")
    seen(phone, shots, "j1-rider-track-resolved")
    phone.get_by_role("button", name="已修好").click()
    expect(phone.get_by_role("status")).to_contain_text("谢谢您的确认")
    expect(phone.get_by_text("修好了吗？")).to_have_count(0)
    seen(phone, shots, "j1-rider-track-thanks")

    def closed() -> dict[str, str] | None:
        base = f"{system.url('intake')}/open311/v2"
        [req] = httpx.get(f"{base}/requests/{request_id}.json", timeout=10).json()
        return req if req["status"] == "closed" else None

    assert eventually(closed)["status_notes"] == "已补装新井盖"
    office.reload()
    expect(office.locator("#case-status")).to_have_attribute("data-state", "closed")


def test_j2_two_reports_of_one_blocked_fire_lane_merge_and_a_not_fixed_answer_reopens_it(
    browser: Browser, system: System, shots: Path
):
    key = admin_key(browser, system, shots)
    lane = "徐泾镇某小区消防通道被车辆堵死"
    first_id, first = open311_post(system, key, "fire_lane_blocked", XUJING[0], lane, "吴")
    near = (XUJING[0][0] + 0.0007, XUJING[0][1])  # ~80 m north
    _second_id, second = open311_post(
        system, key, "fire_lane_blocked", near, "消防通道又被堵了", "赵"
    )
    assert second != first  # the follower keeps a code of its own

    follower = rider(browser, system, second)
    expect(follower.get_by_text("合并").first).to_be_visible()
    expect(follower.get_by_text(first)).to_have_count(0)  # never the first rider's code
    seen(follower, shots, "j2-follower-track-merged")

    property_office = login(browser, system, "xujing-property")
    open_case(property_office, first_id)
    property_office.get_by_role("button", name="签收").click()
    property_office.get_by_label("办结说明").fill("已联系车主挪车，通道已清空")
    property_office.get_by_role("button", name="办结").click()
    expect(property_office.locator("#case-status")).to_have_attribute("data-state", "resolved")

    reporter = rider(browser, system, first)
    wait_for_state(reporter, "resolved")
    expect(reporter.get_by_text("修好了吗？")).to_be_visible()
    seen(reporter, shots, "j2-reporter-track-resolved")
    follower.reload()
    expect(follower.get_by_text("修好了吗？")).to_be_visible()  # both are asked
    follower.get_by_label("补充说明（可不填）").fill("下午又停满了车")
    follower.get_by_role("button", name="没修好").click()
    expect(follower.get_by_role("status")).to_contain_text("退回责任部门")
    seen(follower, shots, "j2-follower-track-not-fixed")

    # Back in the property office's queue, with the rider's note on the case.
    property_office.goto(f"{system.url('console')}/console/queue")
    row = property_office.locator("#queue tr", has_text=case_reference(first_id))
    expect(row).to_be_visible()
    expect(row.locator(".state")).to_have_text("已派单")  # reopened: dispatched anew
    seen(property_office, shots, "j2-department-queue")
    row.get_by_role("link", name=case_reference(first_id)).click()
    said = property_office.locator("#hazard-history tr[data-action='report_not_fixed']")
    expect(said).to_contain_text("下午又停满了车")
    seen(property_office, shots, "j2-department-case-reopened")
    assert first_id


def test_j9_a_departments_own_system_posts_updates_the_rider_sees(
    browser: Browser, system: System, shots: Path
):
    rider_key = admin_key(browser, system, shots)
    system_key = admin_key(browser, system, shots, department="zhaoxiang-road")
    request_id, code = open311_post(
        system, rider_key, "manhole_cover", ZHAOXIANG[1], "赵巷镇路口井盖松动", "钱"
    )
    base = f"{system.url('intake')}/open311/v2"
    eventually(
        lambda: httpx.get(f"{base}/requests/{request_id}.json", timeout=10).json()[0][
            "agency_responsible"
        ]
    )
    update = {
        "api_key": system_key,
        "service_request_id": request_id,
        "update_id": f"WO-{uuid.uuid4().hex[:8]}",
        "status": "IN_PROGRESS",
        "updated_datetime": datetime.now(UTC).isoformat(),
        "description": "养护班组已到场，今晚更换井盖",
    }
    first = httpx.post(f"{base}/servicerequestupdates.json", data=update, timeout=30)
    again = httpx.post(f"{base}/servicerequestupdates.json", data=update, timeout=30)
    assert first.status_code == 200 and again.status_code == 200, first.text
    assert again.json() == first.json()  # the same update_id changes nothing

    # The rider's app reads the update from the feed, once; the tracking page shows it taken.
    since = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()

    def listed() -> list[dict[str, str]] | None:
        feed = httpx.get(
            f"{base}/servicerequestupdates.json", params={"start_date": since}, timeout=10
        ).json()
        mine = [u for u in feed if u["update_id"] == update["update_id"]]
        return mine or None

    [posted] = eventually(listed)
    assert posted["description"] == "养护班组已到场，今晚更换井盖"
    assert posted["service_request_id"] == request_id
    phone = rider(browser, system, code)
    wait_for_state(phone, "acknowledged")
    expect(phone.locator(".status")).not_to_have_text("已派单")
    seen(phone, shots, "j9-rider-track-update")
    [req] = httpx.get(f"{base}/requests/{request_id}.json", timeout=10).json()
    assert req["status"] == "open"

    office = login(browser, system, "zhaoxiang-road")
    open_case(office, request_id)
    expect(office.locator("#case-status")).to_have_attribute("data-state", "acknowledged")
    seen(office, shots, "j9-department-case")


def test_j11_a_supervisor_chases_an_overdue_fix_and_the_district_sees_the_chain(
    browser: Browser, system: System, shots: Path
):
    # The admin sets the fire-lane targets short and opens accounts for both supervisors.
    admin = login(browser, system, "admin")
    admin.get_by_role("link", name="类别时限与积分").click()
    row = admin.locator("#policies tr[data-category='fire_lane_blocked']")
    row.get_by_label("签收时限（小时）").fill("1")
    row.get_by_label("办结时限（天）").fill("0.0004")  # ~35 s
    row.get_by_label("逐级督办间隔（小时）").fill("0.01")  # 36 s on to the district
    row.get_by_role("button", name=re.compile("保存")).click()
    expect(admin.get_by_role("status")).to_have_text("已保存")
    row = admin.locator("#policies tr[data-category='fire_lane_blocked']")
    expect(row.get_by_label("签收时限（小时）")).to_have_value("1")  # not "1.0"
    seen(admin, shots, "admin-policies")
    for username, actor, name in (
        ("chen.kz", "xujing-supervisor", "陈科长"),
        ("qu.duban", "district-supervisor", "区城运中心值班员"),
    ):
        admin.get_by_role("link", name="用户管理").click()
        admin.get_by_label("用户名 *").fill(username)
        admin.get_by_label("姓名/名称").fill(name)
        admin.get_by_label("身份 *").select_option("department")
        admin.get_by_label("对应身份编号 *").fill(actor)
        admin.get_by_label("密码 *").fill("waystation-dev")
        admin.get_by_role("button", name="创建").click()
        expect(admin.locator(f"#users tr[data-username='{username}']")).to_be_visible()
    own = admin.locator("#users tr[data-username='admin']")
    expect(own).to_contain_text("当前登录的账号")  # an admin cannot lock itself out
    expect(own.get_by_role("button", name=re.compile("停用"))).to_have_count(0)
    expect(admin.locator("#users tr[data-username='chen.kz']").get_by_role("button")).to_have_count(
        1
    )
    seen(admin, shots, "admin-users")
    admin.get_by_role("link", name="部门名录").click()
    expect(admin.locator("#directory tr[data-entry='xujing-property']")).to_contain_text(
        "徐泾镇城运中心（督办） → 青浦区城市运行管理中心（区级督办）"
    )
    seen(admin, shots, "admin-directory")

    key = admin_key(browser, system, shots)
    case_id, code = open311_post(
        system, key, "fire_lane_blocked", XUJING[1], "徐泾镇小区消防通道长期被占", "孙"
    )
    office = login(browser, system, "xujing-property")
    open_case(office, case_id)
    office.get_by_role("button", name="签收").click()
    expect(office.locator("#case-status")).to_have_attribute("data-state", "acknowledged")

    # The resolve target passes: the town's supervisor finds it on her page, overdue first.
    chen = login(browser, system, "chen.kz")
    assert chen.url.endswith("/console/supervision")
    menu = chen.get_by_role("navigation")
    expect(menu.get_by_role("link", name="督办件")).to_have_count(1)
    expect(menu.get_by_role("link", name="待办隐患")).to_have_count(0)  # no queue of her own
    row = chen.locator("#supervision tr", has_text=case_reference(case_id))
    expect(row).to_be_visible(timeout=90_000)
    expect(row).to_contain_text("徐泾镇物业管理办公室 未在")
    expect(row.locator(".badge.overdue")).to_be_visible()
    chen.reload()  # the map is drawn with the page
    expect(chen.locator("#supervision-map .hazard-dot.escalated").first).to_be_visible()
    row = chen.locator("#supervision tr", has_text=case_reference(case_id))
    expect(chen.locator("#supervision th").first).to_have_text("案件编号")  # not her code
    box = chen.locator("#supervision-map svg").bounding_box()
    assert box and box["height"] <= 0.75 * 900  # a tall town stays within the screen
    seen(chen, shots, "j11-supervisor-queue")
    row.get_by_role("link", name=case_reference(case_id)).click()
    expect(chen.locator("#chain li").first).to_contain_text("督办至 徐泾镇城运中心（督办）")
    expect(chen.locator("#hazard-history tr[data-action='acknowledge']")).to_have_count(1)
    chen.get_by_label("督办意见").fill("请今天18点前清空通道并回传照片")
    chen.get_by_role("button", name="督办").click()
    expect(chen.locator("#urged")).to_be_visible()
    seen(chen, shots, "j11-supervisor-case")

    # The property office sees the supervisor's words on the case it works.
    office.reload()
    urged = office.locator("#hazard-history tr[data-action='urge']")
    expect(urged).to_contain_text("请今天18点前清空通道并回传照片")
    seen(office, shots, "j11-department-case-urged")

    # Still open a step later: the district's officer sees the whole chain.
    district = login(browser, system, "qu.duban")
    row = district.locator("#supervision tr", has_text=case_reference(case_id))
    expect(row).to_be_visible(timeout=120_000)
    expect(row.locator("li[data-level='2']")).to_contain_text("青浦区城市运行管理中心")
    row.get_by_role("link", name=case_reference(case_id)).click()
    expect(district.locator("#chain li")).to_have_count(2)
    expect(district.locator("#hazard-history tr[data-action='urge']")).to_have_count(1)
    seen(district, shots, "j11-district-case")

    committee = login(browser, system, "chair")
    committee.goto(f"{system.url('console')}/console/overview")
    expect(committee.locator(f"a[href$='{case_id}'] .hazard-dot.escalated")).to_have_count(1)
    seen(committee, shots, "j11-committee-overview")
