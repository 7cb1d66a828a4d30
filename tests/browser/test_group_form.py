"""J6 at the desk, in headless Chromium: an officer files twelve couriers as one group dispute
(three member rows, nine pasted lines), a wrong group is refused in Chinese, and the committee
finds the group on mediation's side with its twelve members and its town."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from services.intake.domain.identity import check_digit
from tests.browser.checks import seen
from tests.browser.test_console import login
from tests.e2e.harness import System

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]


def _id(n: int) -> str:
    first17 = f"31011819880303{n:03d}"
    return first17 + check_digit(first17)


def test_an_officer_files_twelve_couriers_as_one_group(
    browser: Browser, system: System, shots: Path
):
    officer = login(browser, system, "officer")
    officer.get_by_role("link", name="登记集体争议").click()
    expect(officer.get_by_role("heading", name="登记集体争议")).to_be_visible()
    seen(officer, shots, "officer-file-group")
    company = f"沪青劳务外包有限公司{uuid.uuid4().hex[:4]}"
    for i, name in enumerate(("张一", "王二", "李三")):
        officer.get_by_label(f"成员姓名 {i + 1}", exact=False).first.fill(name)
        officer.get_by_label(f"身份证号 {i + 1}").fill(_id(i))
        officer.get_by_label(f"请求金额（元） {i + 1}").fill(str(3000 + i))
    officer.get_by_label("被申请人名称 *", exact=True).fill(company)
    officer.get_by_label("纠纷类型").select_option("overtime_pay")
    officer.get_by_label("请求事项").fill("支付2026年10月加班费")
    officer.get_by_label("事实与理由").fill("华新镇速达快递网点十二名快递员10月加班费未发放。")
    officer.get_by_label("工作地点或所属驿站地址").fill("青浦区华新镇华腾路速达快递网点")
    officer.get_by_label("发生日期不详").check()  # said outright: the board will warn
    pasted = "\n".join(
        f"快递员{n:02d}, 1370000{n:04d}, {_id(n)}, {3000 + n}, 否" for n in range(3, 12)
    )
    officer.get_by_label("批量粘贴成员").fill(pasted)
    officer.get_by_role("button", name="提交").click()
    # nobody elected: refused in Chinese, the rows and the pasted lines kept
    expect(officer.get_by_role("alert")).to_contain_text("请推举1至5名代表人")
    expect(officer.get_by_label("批量粘贴成员")).to_have_value(pasted)
    seen(officer, shots, "officer-file-group-refused")
    for i in range(3):
        officer.get_by_label(f"推举为代表人 {i + 1}").check()
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("#tracking-code")).to_be_visible()
    code = officer.locator("#tracking-code").inner_text().strip()
    case_url = officer.url.split("?")[0]
    case_id = case_url.rstrip("/").rsplit("/", 1)[-1]

    committee = login(browser, system, "chair")

    def group_shown() -> None:
        committee.goto(f"{system.url('console')}/console/cases/{case_id}")
        expect(committee.get_by_text("集体争议（12人）").first).to_be_visible()

    group_shown()
    seen(committee, shots, "committee-group-case")
    committee.goto(f"{system.url('console')}/console/clocks")
    expect(committee.locator("#limitation-unknown")).to_contain_text("时效起算日不详")
    expect(committee.locator("#limitation-unknown")).to_contain_text(code)
    committee.goto(f"{system.url('console')}/console/board")
    row = committee.locator("#board tr", has_text=code)
    expect(row).to_contain_text("时效起算日不详")
