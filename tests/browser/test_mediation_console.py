"""The mediator's day and the committee's casework in headless Chromium, in Chinese (J4, J8):
the desk files an unpaid-wages dispute, the committee accepts it, the assigned mediator finds
it under 我的案件, starts, schedules a session (recording it held early is refused), records
the agreement, downloads its PDF, records performance and closes; a refused step says why in
Chinese by its form; the committee reassigns another dispute and the new mediator sees it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import seen
from tests.browser.test_console import login
from tests.e2e.harness import System

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def file_dispute(browser: Browser, system: System, company: str, *, platform: bool) -> str:
    """The desk files a dispute through the console's form; its tracking code."""
    officer = login(browser, system, "officer")
    officer.get_by_role("link", name="登记纠纷").click()
    officer.get_by_label("申请人姓名").fill("李某")
    officer.get_by_label("申请人手机号").fill("13811112222")
    officer.get_by_label("被申请人名称 *", exact=True).fill(company)
    officer.get_by_label("纠纷类型").select_option("unpaid_wages")
    officer.get_by_label("请求事项").fill("支付2026年10月工资8600元")
    officer.get_by_label("请求金额（元）").fill("8600")
    officer.get_by_label("事实与理由").fill("申请人在网点派件，10月工资未发放。")
    arose = (datetime.now(SHANGHAI) - timedelta(days=20)).date()
    officer.get_by_label("争议发生日期（仲裁时效起算）").fill(arose.isoformat())
    if platform:
        officer.get_by_label("新就业形态劳动者").check()
    officer.get_by_label("口头申请（已向申请人宣读并经确认）").check()
    officer.get_by_label("申请人已确认笔录").check()
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("#tracking-code")).to_be_visible()
    code = officer.locator("#tracking-code").inner_text()
    officer.context.close()
    return code


def accept(browser: Browser, system: System, code: str, shots: Path) -> tuple[Page, str]:
    """The committee accepts from the board; the case page and who was assigned."""
    committee = login(browser, system, "chair")
    row = committee.locator("#board tr", has_text=code)
    expect(row).to_be_visible()
    row.get_by_role("link", name=code).click()
    committee.get_by_role("button", name="受理", exact=True).click()
    expect(committee.locator("#case-status")).to_have_attribute("data-state", "assigned")
    seen(committee, shots, "committee-dispute-accepted")
    mediator = committee.locator("#mediation p").first.inner_text()
    return committee, mediator


MEDIATORS = {
    "张调解员": "med-zhang",
    "陈警官": "med-chen",
    "王律师": "med-wang",
    "刘律师": "med-liu",
    "周主席": "med-zhou",
    "孙站长": "med-sun",
}


def mediator_of(line: str) -> str:
    return next(mid for name, mid in MEDIATORS.items() if name in line)


def test_a_mediator_carries_an_unpaid_wages_dispute_to_a_closed_agreement(
    browser: Browser, system: System, shots: Path
):
    code = file_dispute(
        browser, system, f"沪青劳务外包有限公司{uuid.uuid4().hex[:4]}", platform=True
    )
    committee, line = accept(browser, system, code, shots)
    committee.context.close()

    me = login(browser, system, mediator_of(line))
    assert me.url.endswith("/console/my")
    expect(me.get_by_role("heading", name="我的案件")).to_be_visible()
    row = me.locator("#my-cases tr", has_text=code)
    expect(row).to_contain_text("已指派调解员")
    expect(row).to_contain_text("调解期限")
    seen(me, shots, "mediator-my-cases")
    row.get_by_role("link", name=code).click()
    # The full file: the applicant's own phone, the claim and the facts.
    expect(me.get_by_role("cell", name="13811112222")).to_be_visible()
    expect(me.locator("#mediation")).to_contain_text("支付2026年10月工资8600元")
    expect(me.get_by_role("button", name="受理", exact=True)).to_have_count(0)
    expect(me.locator("#back")).to_have_attribute("href", "/console/my")  # back to her cases
    me.get_by_role("button", name="开始调解").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "in_mediation")
    expect(me.get_by_role("button", name="开始调解")).to_have_count(0)

    # A refused step says why, in Chinese, next to its form: an extension without consents.
    extend = me.locator("#extend-form")
    extend.get_by_label("延长天数（不超过15日）").fill("10")
    extend.get_by_role("button", name="延长调解期限").click()
    expect(me.locator("#extend-error")).to_contain_text("双方同意")
    seen(me, shots, "mediator-refused-extension")

    starts = (datetime.now(SHANGHAI) + timedelta(days=2)).replace(hour=9, minute=30)
    form = me.locator("#schedule-form")
    form.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("地点", exact=True).fill("华新镇卡车司机之家调解室")
    form.get_by_role("button", name="安排调解会").click()
    expect(me.get_by_role("cell", name="华新镇卡车司机之家调解室", exact=True)).to_be_visible()
    # Time order: a session two days ahead cannot be recorded as held yet; said by its form.
    me.get_by_label("会议情况").fill("双方同意分两期支付")
    me.get_by_role("button", name="记录已召开").click()
    expect(me.locator("#held-error")).to_contain_text("会议开始时间未到")
    expect(me.get_by_role("cell", name="已召开")).to_have_count(0)
    seen(me, shots, "mediator-refused-held-early")

    deadline = (datetime.now(SHANGHAI) + timedelta(days=20)).date()
    agreement = me.locator("#agreement-form")
    agreement.get_by_label("事实与理由").fill("申请人10月工资8600元未发放，被申请人确认欠付。")
    agreement.get_by_label("协议内容").fill("被申请人支付申请人10月工资8600元。")
    agreement.get_by_label("履行方式").fill("银行转账")
    agreement.get_by_label("履行期限").fill(deadline.isoformat())
    for label in ("申请人已签名", "被申请人已签名", "调解员已签名", "已加盖调委会印章"):
        agreement.get_by_label(label, exact=True).check()
    agreement.get_by_role("button", name="登记调解协议").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "performance_monitoring")
    expect(me.locator("#agreement-terms")).to_contain_text("8600元。 · 履行期限 ")  # a named date
    with me.expect_download() as download:
        me.get_by_role("link", name="下载协议 PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    seen(me, shots, "mediator-agreement")

    performance = me.locator("#performance-form")
    performance.get_by_label("已履行", exact=True).check()
    performance.get_by_label("说明").fill("已转账")
    performance.get_by_role("button", name="记录履行情况").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "performed")
    me.get_by_role("button", name="结案").click()
    expect(me.locator("#mediation")).to_have_attribute("data-state", "closed")
    expect(me.locator("#no-actions")).to_be_visible()
    seen(me, shots, "mediator-closed")


def test_the_committee_reassigns_and_the_new_mediator_has_it(
    browser: Browser, system: System, shots: Path
):
    code = file_dispute(browser, system, f"快送平台{uuid.uuid4().hex[:4]}", platform=False)
    committee, line = accept(browser, system, code, shots)
    before = mediator_of(line)
    reassign = committee.locator("#reassign-form")
    choices = reassign.locator("option").all_inner_texts()
    assert choices and all(name in MEDIATORS for name in choices)
    target = choices[0]
    reassign.get_by_label("新调解员").select_option(label=target)
    reassign.get_by_label("理由").fill("原调解员本周外出培训")
    reassign.get_by_role("button", name="改派调解员").click()
    expect(committee.locator("#mediation p").first).to_contain_text(target)
    seen(committee, shots, "committee-reassigned")

    new = login(browser, system, MEDIATORS[target])
    expect(new.locator("#my-cases tr", has_text=code)).to_be_visible()
    old = login(browser, system, before)
    expect(old.locator("#my-cases tr", has_text=code)).to_have_count(0)
