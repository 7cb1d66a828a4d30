"""The console in headless Chromium: each role logs in and walks its journeys (J1, J4, J8)."""

from __future__ import annotations

import re
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.harness import System

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "waystation-dev"
WAIT_MS = 30_000


def login(browser: Browser, system: System, username: str, lang: str = "zh") -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{system.url('console')}/console/login?lang={lang}")
    page.get_by_label("用户名" if lang == "zh" else "Username").fill(username)
    page.get_by_label("密码" if lang == "zh" else "Password").fill(PASSWORD)
    page.keyboard.press("Enter")  # keyboard only: the form works without a mouse
    page.wait_for_url(lambda url: "/console/login" not in url)
    return page


def tiny_png() -> bytes:
    """A valid 1x1 PNG, the photo of a fix."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x80\x00"))
        + chunk(b"IEND", b"")
    )


def test_each_role_sees_only_its_own_pages(browser: Browser, system: System, shots: Path):
    page = login(browser, system, "chair")
    page.goto(f"{system.url('console')}/console/login")
    page.screenshot(path=shots / "login.png")
    nav = page.get_by_role("navigation")
    page.goto(f"{system.url('console')}/console/board")
    for label in ("纠纷看板", "法定期限", "工作量", "类案预警", "统计", "督办总览"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(nav.get_by_role("link", name="待办隐患")).to_have_count(0)

    officer = login(browser, system, "officer")
    expect(officer.get_by_role("link", name="登记纠纷")).to_be_visible()
    expect(officer.get_by_role("link", name="纠纷看板")).to_have_count(0)
    answer = officer.goto(f"{system.url('console')}/console/board")
    assert answer is not None and answer.status == 403
    expect(officer.get_by_role("heading", name="无权访问此页面")).to_be_visible()
    expect(officer).to_have_title("无权访问此页面 · 城市驿站 · 工作台")  # says what happened

    department = login(browser, system, "zhaoxiang-road")
    assert department.url.endswith("/console/queue")
    answer = department.goto(f"{system.url('console')}/console/file/dispute")
    assert answer is not None and answer.status == 403

    anonymous = browser.new_page()
    anonymous.goto(f"{system.url('console')}/console/board")
    assert anonymous.url.endswith("/console/login")
    anonymous.get_by_label("用户名").fill("chair")
    anonymous.get_by_label("密码").fill("wrong")
    anonymous.get_by_role("button", name="登录").click()
    expect(anonymous.get_by_role("alert")).to_have_text("用户名或密码错误")


def test_a_dispute_filed_at_the_desk_reaches_the_board_and_the_committee_accepts_it(
    browser: Browser, system: System, shots: Path
):
    committee = login(browser, system, "chair")
    committee.goto(f"{system.url('console')}/console/board")
    company = f"沪青劳务外包有限公司{uuid.uuid4().hex[:4]}"

    officer = login(browser, system, "officer")
    officer.get_by_role("link", name="登记纠纷").click()
    officer.get_by_label("申请人姓名").fill("李某")
    officer.get_by_label("申请人手机号").fill("12ab")  # refused by intake, shown inline
    officer.get_by_label("被申请人名称 *", exact=True).fill(company)
    officer.get_by_label("纠纷类型").select_option("unpaid_wages")
    officer.get_by_label("请求事项").fill("支付2026年10月工资8600元")
    officer.get_by_label("请求金额（元）").fill("8600")
    officer.get_by_label("事实与理由").fill("申请人在速达快递网点派件，10月工资未发放。")
    officer.get_by_label("口头申请（已向申请人宣读并经确认）").check()
    officer.get_by_label("申请人已确认笔录").check()
    officer.get_by_role("button", name="提交").click()
    phone = officer.get_by_label("申请人手机号")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(officer.locator("#f-complainant-phone-err")).to_be_visible()
    officer.screenshot(path=shots / "officer-file-dispute-errors.png", full_page=True)
    phone.fill("13811112222")
    officer.get_by_role("button", name="提交").click()
    # The day the dispute arose is asked for (the limitation runs from it): refused inline.
    arose = officer.get_by_label("争议发生日期（仲裁时效起算）")
    expect(arose).to_have_attribute("aria-invalid", "true")
    expect(officer.locator("#f-dispute_arose_on-err")).to_contain_text("请填写争议发生日期")
    arose.fill("2030-01-05")  # a day after today: refused too
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("#f-dispute_arose_on-err")).to_contain_text("不能晚于今天")
    officer.get_by_label("争议发生日期（仲裁时效起算）").fill("2026-11-10")
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("#tracking-code")).to_be_visible()
    code = officer.locator("#tracking-code").inner_text()

    # The board, opened before the filing, shows the new dispute without a reload.
    row = committee.locator("#board tr", has_text=code)
    expect(row).to_be_visible()
    committee.screenshot(path=shots / "committee-board.png", full_page=True)
    row.get_by_role("link", name=code).click()
    expect(committee.get_by_role("heading", name=code)).to_be_visible()
    expect(committee.get_by_role("cell", name="李某")).to_be_visible()
    expect(committee.get_by_role("cell", name="138****2222")).to_be_visible()
    committee.get_by_role("button", name="受理", exact=True).click()
    expect(committee.locator("#case-status")).to_have_attribute("data-state", "assigned")
    expect(committee.locator("#timeline tr[data-event='dispute.accepted']")).to_have_count(1)
    expect(committee.locator("#deliveries tr[data-status='sent']").first).to_be_visible()
    committee.screenshot(path=shots / "committee-case.png", full_page=True)

    for page_name, heading in (
        ("clocks", "法定期限"),
        ("workload", "工作量"),
        ("alerts", "类案预警"),
        ("statistics", "统计"),
        ("overview", "督办总览"),
    ):
        committee.goto(f"{system.url('console')}/console/{page_name}")
        expect(committee.get_by_role("heading", name=heading).first).to_be_visible()
        committee.screenshot(path=shots / f"committee-{page_name}.png", full_page=True)
    committee.goto(f"{system.url('console')}/console/clocks")
    expect(committee.locator("tr", has_text=code).first).to_be_visible()
    committee.goto(f"{system.url('console')}/console/statistics")
    expect(committee.locator("svg.chart").first).to_be_visible()
    with committee.expect_download() as download:
        committee.get_by_role("link", name="导出 CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_a_hazard_filed_by_an_officer_is_fixed_by_the_department_and_the_loop_shows(
    browser: Browser, system: System, shots: Path
):
    department = login(browser, system, "zhaoxiang-road")
    officer = login(browser, system, "officer")
    officer.get_by_role("link", name="登记隐患").click()
    officer.get_by_label("类别").select_option("manhole_cover")
    officer.get_by_label("纬度").fill("31.1540")
    officer.get_by_label("经度").fill("121.1947")
    officer.get_by_label("描述").fill("赵巷镇人行道上窨井盖缺失，送餐经过时差点踩空。")
    officer.get_by_label("报告人姓名").fill("吴师傅")
    officer.get_by_label("报告人手机号").fill("13812345678")
    officer.screenshot(path=shots / "officer-file-hazard.png", full_page=True)
    officer.get_by_role("button", name="提交").click()
    code = officer.locator("#tracking-code").inner_text()
    case_id = officer.url.split("/console/cases/")[1].split("?")[0]
    # The tracking code is the reporter's credential: the department reads the case reference.
    reference = "#" + uuid.UUID(case_id).hex[:8].upper()

    # The department's queue, already open, picks the dispatched hazard up by itself.
    row = department.locator("#queue tr", has_text=reference)
    expect(row).to_be_visible()
    assert code not in department.content()
    department.screenshot(path=shots / "department-queue.png", full_page=True)
    row.get_by_role("link", name=reference).click()
    expect(department.get_by_role("cell", name="吴**")).to_be_visible()  # masked for a department
    department.get_by_role("button", name="签收").click()
    expect(department.locator("#case-status")).to_have_attribute("data-state", "acknowledged")
    department.get_by_label("办结说明").fill("已补装新井盖")
    department.get_by_label("处置照片").set_input_files(
        {"name": "fix.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    department.get_by_role("button", name="办结").click()
    expect(department.locator("#case-status")).to_have_attribute("data-state", "resolved")
    department.screenshot(path=shots / "department-case.png", full_page=True)

    officer.reload()
    expect(officer.locator("#timeline tr[data-event='hazard.resolved']")).to_have_count(1)
    expect(officer.locator("#deliveries tr[data-status='sent']").first).to_be_visible()
    officer.screenshot(path=shots / "officer-case.png", full_page=True)
    expect(officer).to_have_title(re.compile(r"^隐患 .+ · 城市驿站"))  # says where she is
    officer.locator("#back").click()  # the way back to the list she came from
    expect(officer.get_by_role("heading", level=1)).to_have_text("案件列表")
    expect(officer.locator("tr", has_text=code)).to_be_visible()
    # she filters by words she knows (a town, a state), never by typing a code
    officer.get_by_label("镇街").select_option(label="赵巷镇")
    officer.get_by_label("状态").select_option(label="已办结，待报告人确认")
    officer.get_by_role("button", name="筛选").click()
    expect(officer.locator("tr", has_text=code)).to_be_visible()
    officer.get_by_label("镇街").select_option(label="练塘镇")
    officer.get_by_role("button", name="筛选").click()
    expect(officer.locator("tbody")).to_contain_text("没有符合条件的案件")
    officer.screenshot(path=shots / "officer-cases.png", full_page=True)

    committee = login(browser, system, "chair")
    committee.goto(f"{system.url('console')}/console/overview")
    expect(committee.locator("#closed-loop")).to_contain_text("赵巷镇")
    committee.goto(f"{system.url('console')}/console/board?lang=en")
    expect(committee.get_by_role("heading", name="Dispute board")).to_be_visible()
