"""Changes are told as changes (#19.6): a moved mediation session names the old and the new time
and the reason, to every party and the mediator; a ticket taken back from a department tells
that department (and only it) it is no longer theirs. The timeline words the same events."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.intake.domain.timeline import describe
from services.notify.adapters.templates import Renderer
from services.notify.domain.rules import rules_for
from shared.contracts.glossary.events import EVENTS

RENDERER = Renderer()
MOVED = {
    "state": "in_mediation",
    "session_id": "ses-1",
    "starts_at": "2026-12-10T06:00:00+00:00",  # 14:00 in Shanghai
    "place": "华新镇卡友驿站调解室",
    "online": False,
    "attendees": ["p-1", "p-2", "med-wang"],
    "previous_starts_at": "2026-12-08T02:00:00+00:00",  # 10:00 in Shanghai
    "previous_place": "华新镇卡友驿站调解室",
    "reason": "被申请人代理人出庭，申请改期",
}
WITHDRAWN = {
    "state": "triaged",
    "department_id": "zhaoxiang-road",
    "department_name": "赵巷镇道路养护所",
    "cause": "corrected",
    "reason": "类别应为消防通道堵塞",
}


@dataclass(frozen=True)
class _Case:
    kind: str = "dispute"
    tracking_code: str = "ABCD-EFGH"
    title: str = "拖欠工资：沪青劳务外包有限公司"


@dataclass(frozen=True)
class _Party:
    role: str
    display_name: str = "李某"
    party_id: str = "p-1"
    locale: str = "zh-CN"


def _render(template: str, locale: str, payload: dict[str, object]) -> tuple[str, str]:
    context = {
        "case": _Case(),
        "party": _Party(role="complainant"),
        "payload": payload,
        "tracking_code": "ABCD-EFGH",
        "track_url": "",
    }
    return RENDERER.render(template, locale, context)


def test_every_party_and_the_mediator_hear_a_reschedule_as_a_reschedule():
    rules = rules_for("session.rescheduled", MOVED)
    assert {r.party for r in rules} == {"complainant", "respondent", "mediator"}
    assert {r.template for r in rules} == {"session_rescheduled"}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_reschedule_notice_names_the_old_and_new_time_and_the_reason(locale: str):
    subject, body = _render("session_rescheduled", locale, MOVED)
    if locale == "zh-CN":
        assert "改期" in subject and "调解会议安排" not in subject
        assert "原定 2026年12月8日 10:00" in body
        assert "改为 2026年12月10日 14:00" in body
        assert "改期原因：被申请人代理人出庭，申请改期" in body
    else:
        assert "moved" in subject.lower()
        assert "rescheduled" in body and "Reason: 被申请人代理人出庭" in body
        assert "10:00" in body and "14:00" in body
    assert "2026-12-08T" not in body  # never a raw timestamp


def test_a_new_place_shows_the_old_place_too():
    _s, body = _render("session_rescheduled", "zh-CN", MOVED | {"place": "赵巷镇司法所"})
    assert "（华新镇卡友驿站调解室）" in body and "地点：赵巷镇司法所" in body


def test_only_the_former_department_hears_a_withdrawal():
    rules = rules_for("hazard.withdrawn", WITHDRAWN)
    assert [(r.party, r.template) for r in rules] == [("department", "hazard_withdrawn_department")]


@pytest.mark.parametrize(("cause", "zh_words"), [("corrected", "更正"), ("moved", "改派")])
def test_the_withdrawal_notice_says_the_ticket_is_no_longer_theirs(cause: str, zh_words: str):
    subject, body = _render("hazard_withdrawn_department", "zh-CN", WITHDRAWN | {"cause": cause})
    assert "撤回" in subject
    assert body.startswith("赵巷镇道路养护所：")
    assert zh_words in body and "不再由贵单位处理" in body
    _s, en = _render("hazard_withdrawn_department", "en", WITHDRAWN | {"cause": cause})
    assert "no longer yours" in en


def test_the_timeline_words_both_events_and_the_glossary_names_them():
    zh, en = describe("session.rescheduled", MOVED)
    assert zh.startswith("调解会议改期：原定 2026年12月8日 10:00，改为 2026年12月10日 14:00")
    assert zh.endswith("原因：被申请人代理人出庭，申请改期")
    assert "moved from" in en
    zh, en = describe("hazard.withdrawn", WITHDRAWN)
    assert zh == "工单已从 赵巷镇道路养护所 撤回，重新分派"
    assert EVENTS["session.rescheduled"][0] == "调解会议改期"
    assert EVENTS["hazard.withdrawn"][0].startswith("工单")
