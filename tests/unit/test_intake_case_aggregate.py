"""The intake Case aggregate alone: what it records of any service's events, its corrections,
its dispute application and the events it raises. Pure: no repository, no unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.intake.domain.case import Case, Move
from services.intake.domain.commands import RespondentIn, SupplementDispute
from services.intake.domain.errors import Conflict, Forbidden, InvalidField, NotFound
from shared.contracts.envelope import SYSTEM, Actor, Envelope

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
OFFICER = Actor(role="intake_officer", id="officer-1")


def hazard(**fields: Any) -> Case:
    return Case(
        **{
            "id": uuid.uuid4(),
            "kind": "hazard",
            "tracking_code": "ABCD-EFGH",
            "channel": "officer",
            "title": "道路破损：赵巷镇",
            "description": "路面有坑",
            "category": "road_damage",
            "jurisdiction": "zhaoxiang",
            "latitude": 31.155,
            "longitude": 121.195,
            "created_at": AT,
            "updated_at": AT,
            "status_at": AT,
        }
        | fields
    )


def dispute(**fields: Any) -> Case:
    return hazard(
        **{
            "kind": "dispute",
            "title": "拖欠工资：某公司",
            "description": "三个月工资未发",
            "category": "unpaid_wages",
            "latitude": None,
            "longitude": None,
            "details": {"claim": "支付工资"},
        }
        | fields
    )


def event(case: Case, event_type: str, at: datetime, **payload: Any) -> Envelope:
    return Envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        occurred_at=at,
        case_id=case.id,
        correlation_id=uuid.uuid4(),
        actor=SYSTEM,
        payload=payload,
        producer=event_type.split(".")[0] if event_type.startswith("mediator") else "dispatch",
    )


class Places:
    def locate(self, lat: float, lng: float) -> str:
        return "xujing"

    def name_of(self, code: str | None) -> str:
        return {"xujing": "徐泾镇", "zhaoxiang": "赵巷镇"}.get(code or "", "")


def test_a_newer_state_moves_the_status_and_every_event_lands_on_the_timeline():
    case = hazard()
    later = AT + timedelta(hours=1)
    case.record(event(case, "hazard.acknowledged", later, state="acknowledged"))
    case.record(event(case, "hazard.dispatched", AT + timedelta(minutes=1), state="dispatched"))
    assert (case.status, case.status_at, case.updated_at) == ("acknowledged", later, later)
    assert [n.event_type for n in case.timeline] == ["hazard.acknowledged", "hazard.dispatched"]
    assert case.timeline[0].text_zh and case.timeline[0].state == "acknowledged"


def test_dispatch_moves_what_open311_reads_and_a_withdrawal_takes_it_back():
    case = hazard()
    due = (AT + timedelta(days=3)).isoformat()
    case.record(
        event(
            case,
            "hazard.dispatched",
            AT + timedelta(minutes=1),
            state="dispatched",
            department_id="d-roads",
            department_name="道路所",
            resolve_due=due,
        )
    )
    assert (case.department_id, case.agency_responsible) == ("d-roads", "道路所")
    assert case.expected_at == datetime.fromisoformat(due)
    withdrawn = event(
        case,
        "hazard.withdrawn",
        AT + timedelta(minutes=2),
        state="triaged",
        department_id="d-roads",
    )
    case.record(withdrawn)
    assert (case.department_id, case.agency_responsible, case.expected_at) == (None, "", None)


def test_who_else_reads_the_case_is_noted_whatever_the_order():
    case = dispute()
    case.record(event(case, "mediator.assigned", AT + timedelta(hours=2), mediator_id="m-2"))
    case.record(event(case, "mediator.assigned", AT + timedelta(hours=1), mediator_id="m-1"))
    case.record(event(case, "hazard.escalated", AT, escalated_to="sup-1"))
    case.record(event(case, "hazard.escalated", AT, escalated_to="sup-1"))
    assert case.details["mediator_id"] == "m-2"
    assert case.details["supervisors"] == ["sup-1"]


def test_correcting_a_hazard_triages_it_again_and_raises_case_corrected():
    case = hazard()
    case.correct_hazard(
        "manhole_cover", Move(31.18, 121.27, "徐泾镇某路"), Places(), reason="类别错", actor=OFFICER
    )
    assert (case.category, case.jurisdiction, case.urgency) == ("manhole_cover", "xujing", "high")
    assert (case.title, case.address) == ("窨井盖缺失或破损：徐泾镇", "徐泾镇某路")
    (raised,) = case.events
    assert raised.event_type == "case.corrected" and raised.actor == OFFICER
    payload = raised.payload.model_dump()
    assert (payload["previous_category"], payload["previous_jurisdiction"]) == (
        "road_damage",
        "zhaoxiang",
    )
    assert payload["location"] == {"lat": 31.18, "lng": 121.27}


def test_a_finished_ticket_or_a_dispute_with_a_location_is_not_corrected():
    with pytest.raises(Conflict):
        hazard(status="closed").correct_hazard(
            "road_damage", None, Places(), reason="x", actor=OFFICER
        )
    with pytest.raises(InvalidField):
        dispute().correct_dispute("overtime_pay", moved=True, reason="x", actor=OFFICER)
    with pytest.raises(InvalidField):
        dispute().correct_dispute("road_damage", moved=False, reason="x", actor=OFFICER)
    assert hazard().events == [] and dispute().events == []


def test_unmerging_files_the_case_again_and_names_the_original():
    original = uuid.uuid4()
    case = hazard(status="duplicate", duplicate_of=original)
    at = AT + timedelta(hours=1)
    assert case.unmerge("不是同一处", "p-1", OFFICER, at) == original
    assert (case.duplicate_of, case.status, case.status_at) == (None, "filed", at)
    assert case.details["split_from"] == str(original)
    assert case.events[0].payload.model_dump()["from_case_id"] == original
    with pytest.raises(Conflict):
        case.unmerge("again", "p-1", OFFICER, at)


def test_only_a_resolved_hazard_is_answered_and_the_answer_keeps_the_status():
    reporter = Actor(role="reporter", id="p-1")
    with pytest.raises(Conflict):
        hazard(status="dispatched").answer_fix(True, None, reporter)
    case = hazard(status="resolved")
    case.answer_fix(False, "还在", reporter)
    assert case.status == "resolved"
    assert [e.event_type for e in case.events] == ["reporter.reported_not_fixed"]


def test_a_department_posts_only_on_a_hazard_dispatched_to_it():
    case = hazard(status="dispatched", department_id="d-roads")
    with pytest.raises(Forbidden):
        case.post_department_update("d-parks", "u-1", "fixed", "修好了")
    with pytest.raises(InvalidField):
        case.post_department_update("d-roads", "u-1", "bogus", "?")
    with pytest.raises(NotFound):
        dispute().post_department_update("d-roads", "u-1", "fixed", "修好了")
    assert case.post_department_update("d-roads", "u-1", "fixed", "修好了") == "resolve"
    (raised,) = case.events
    assert raised.actor == Actor(role="department", id="d-roads")


def test_supplementing_appends_dated_facts_and_keeps_the_given_fields():
    case = dispute()
    cmd = SupplementDispute(facts="另有两个月加班费", claim_amount_yuan=9000, note="补充材料")
    case.supplement(cmd, None, None, OFFICER, AT)
    assert case.description.endswith("【2026年12月1日补充】另有两个月加班费")
    assert case.details["claim_amount_yuan"] == 9000
    assert case.details["supplements"] == [{"at": AT.isoformat(), "note": "补充材料"}]
    assert case.events[0].event_type == "dispute.supplemented"


def test_a_decided_or_group_application_is_not_supplemented_nor_are_facts_too_long():
    cmd = SupplementDispute(facts="x", note="n")
    with pytest.raises(Conflict):
        dispute(status="accepted").supplement(cmd, None, None, OFFICER, AT)
    with pytest.raises(Conflict):
        dispute(details={"group": {"member_count": 3}}).must_await_acceptance()
    with pytest.raises(NotFound):
        hazard().must_await_acceptance()
    long = dispute(description="x" * 3990)
    with pytest.raises(InvalidField):
        long.supplement(SupplementDispute(facts="y" * 20, note="n"), None, None, OFFICER, AT)
    respondent = RespondentIn(name="某公司")
    assert SupplementDispute(respondents=[respondent], note="n").given() == ["respondents"]


def test_members_joining_a_group_count_in_its_title():
    case = dispute(
        title="集体争议（12人）拖欠工资：某公司", details={"group": {"member_count": 12}}
    )
    case.members_joined(1)
    assert case.details["group"] == {"member_count": 13}
    assert case.title.startswith("集体争议（13人）")
    with pytest.raises(Conflict):
        dispute().members_joined(1)


def test_an_attachment_is_announced_and_changes_nothing_else():
    case = hazard(status="dispatched")
    case.attachment_added("a1", "image/jpeg", 2048, "0" * 64, OFFICER)
    (raised,) = case.events
    assert raised.event_type == "case.attachment_added" and case.status == "dispatched"
    assert raised.payload.model_dump()["size_bytes"] == 2048
