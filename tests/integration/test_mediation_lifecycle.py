"""The dispute lifecycle over HTTP on real databases: every step, who may take it, its needs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.mediation_harness import (
    COMMITTEE,
    SUDA,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as service:
        yield service


def agreement(deadline: date, **overrides: object) -> dict[str, object]:
    return {
        "facts": "申请人十月工资8600元未发放，被申请人确认欠付。",
        "terms": "被申请人支付申请人十月工资8600元。",
        "performance_manner": "银行转账",
        "performance_deadline": deadline.isoformat(),
        "signed_by_complainant": True,
        "signed_by_respondent": True,
        "signed_by_mediator": True,
        "sealed_by_committee": True,
    } | overrides


async def test_a_filed_dispute_waits_for_the_committees_acceptance(mediation: Mediation):
    case_id, _ = await mediation.file()
    dispute = await mediation.get(case_id)
    assert dispute["state"] == "acceptance_review"
    assert dispute["mediator_id"] is None
    clocks = {c["clock"]: c for c in dispute["clocks"]}
    assert clocks["mediation_limit"]["due_on"] == "2026-03-17"  # 15 days, start day not counted
    assert clocks["acceptance_target"]["due_on"] == "2026-03-05"  # 3 working days
    assert await mediation.event_types(case_id) == ["dispute.registered"]
    registered = (await mediation.events(case_id))[0]
    assert registered["payload"]["state"] == "acceptance_review"


async def test_only_the_committee_accepts_and_acceptance_assigns_a_mediator(mediation: Mediation):
    case_id, _ = await mediation.file(respondents=(("速达快递有限公司", SUDA),))
    refused = await mediation.post(case_id, "accept", mediator("med-zhang"))
    assert refused.status_code == 403
    dispute = await mediation.ok(case_id, "accept", COMMITTEE)
    assert dispute["state"] == "assigned"
    assert dispute["mediator_id"] != "med-sun"  # tied to the respondent
    assert dispute["accepted_at"] is not None
    assert await mediation.event_types(case_id) == [
        "dispute.registered",
        "dispute.accepted",
        "mediator.assigned",
    ]
    target = next(c for c in dispute["clocks"] if c["clock"] == "acceptance_target")
    assert target["status"] == "stopped"
    again = await mediation.post(case_id, "accept", COMMITTEE)
    assert again.status_code == 409
    assert again.json()["detail"]["state"] == "assigned"


async def test_auto_accept_assigns_on_registration(database_url: str, redis_url: str):
    async with running_mediation(
        database_url, redis_url, FrozenClock(MONDAY), auto_accept=True
    ) as service:
        case_id, _ = await service.file()
        assert (await service.get(case_id))["state"] == "assigned"


async def test_the_committee_may_reject_with_a_reason(mediation: Mediation):
    case_id, _ = await mediation.file()
    missing = await mediation.post(case_id, "reject", COMMITTEE, {"reason": ""})
    assert missing.status_code == 422
    dispute = await mediation.ok(case_id, "reject", COMMITTEE, {"reason": "不属于劳动争议"})
    assert dispute["state"] == "rejected"
    assert {c["status"] for c in dispute["clocks"]} == {"stopped"}
    events = await mediation.events(case_id)
    assert events[-1]["event_type"] == "dispute.rejected"
    assert events[-1]["payload"] == {"state": "rejected", "reason": "不属于劳动争议"}


async def test_only_a_named_respondent_may_decline_mediation(mediation: Mediation):
    case_id, _ = await mediation.file()
    stranger = auth_headers("respondent", "org-SOMEONEELSE")
    assert (await mediation.post(case_id, "decline", stranger)).status_code == 403
    respondent = auth_headers("respondent", "org-91310118HQLW00002A")
    dispute = await mediation.ok(case_id, "decline", respondent, {"reason": "不同意调解"})
    assert dispute["state"] == "respondent_declined"
    assert (await mediation.event_types(case_id))[-1] == "dispute.respondent_declined"
    referred = await mediation.ok(case_id, "refer", COMMITTEE, {"reason": "告知仲裁途径"})
    assert referred["state"] == "referred_to_arbitration"


async def test_the_whole_happy_path_records_every_step_with_actor_and_time(
    mediation: Mediation,
):
    case_id, dispute = await mediation.accepted()
    me = mediator(dispute["mediator_id"])
    other = mediator("med-nobody")
    assert (await mediation.post(case_id, "start", other)).status_code == 403
    await mediation.ok(case_id, "start", me)
    waiting = await mediation.ok(
        case_id, "wait", me, {"waiting_on": "respondent", "reason": "补充工资表"}
    )
    assert waiting["state"] == "waiting_party"
    await mediation.ok(case_id, "resume", me, {"note": "材料已补充"})
    unsealed = await mediation.post(
        case_id, "agreement", me, agreement(date(2026, 3, 20), sealed_by_committee=False)
    )
    assert unsealed.status_code == 422
    assert unsealed.json()["detail"]["errors"][0]["field"] == "sealed_by_committee"
    no_facts = await mediation.post(
        case_id, "agreement", me, agreement(date(2026, 3, 20), facts="")
    )
    assert no_facts.status_code == 422
    signed = await mediation.ok(case_id, "agreement", me, agreement(date(2026, 3, 20)))
    assert signed["state"] == "performance_monitoring"
    clocks = {c["clock"]: c for c in signed["clocks"]}
    assert clocks["mediation_limit"]["status"] == "stopped"
    assert clocks["judicial_confirmation"]["due_on"] == "2026-04-01"  # 30 days, a Wednesday
    assert clocks["arbitration_review"]["due_on"] == "2026-03-17"
    assert clocks["performance"]["due_on"] == "2026-03-20"
    await mediation.ok(case_id, "performance", me, {"performed": True, "note": "已转账"})
    closed = await mediation.ok(case_id, "close", me)
    assert closed["state"] == "closed"
    assert [h["to_state"] for h in closed["history"]] == [
        "acceptance_review",
        "accepted",
        "assigned",
        "in_mediation",
        "waiting_party",
        "in_mediation",
        "agreement_signed",
        "performance_monitoring",
        "performed",
        "closed",
    ]
    assert all(h["actor_role"] and h["actor_id"] and h["at"] for h in closed["history"])
    events = await mediation.events(case_id)
    assert [e["event_type"] for e in events] == [
        "dispute.registered",
        "dispute.accepted",
        "mediator.assigned",
        "mediation.started",
        "dispute.waiting_party",
        "mediation.resumed",
        "agreement.signed",
        "performance.performed",
        "dispute.closed",
    ]
    assert all("state" in e["payload"] for e in events)


async def test_an_illegal_step_is_409_naming_the_current_state(mediation: Mediation):
    case_id, dispute = await mediation.accepted()
    me = mediator(dispute["mediator_id"])
    for step, body in (
        ("close", None),
        ("agreement", agreement(date(2026, 3, 20))),
        ("resume", None),
        ("performance", {"performed": True}),
    ):
        response = await mediation.post(case_id, step, me, body)
        assert response.status_code == 409, (step, response.text)
        assert response.json()["detail"]["state"] == "assigned"
        assert "assigned" in response.json()["detail"]["message"]


async def test_failure_and_withdrawal_name_the_arbitration_limitation_date(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation(arose_on=date(2026, 1, 10))
    failed = await mediation.ok(
        case_id, "fail", mediator(dispute["mediator_id"]), {"reason": "双方分歧过大"}
    )
    assert failed["state"] == "failed"
    ended = (await mediation.events(case_id))[-1]
    assert ended["event_type"] == "mediation.failed"
    assert ended["payload"]["arbitration_limitation_on"] == "2027-01-11"  # 01-10 is a Sunday
    other, _ = await mediation.file()
    complainant = auth_headers("complainant", "p-not-the-complainant")
    assert (await mediation.post(other, "withdraw", complainant)).status_code == 403
    assert (await mediation.ok(other, "withdraw", COMMITTEE))["state"] == "withdrawn"


async def test_non_performance_refers_wage_disputes_with_payment_order_guidance(
    mediation: Mediation,
):
    case_id, dispute = await mediation.in_mediation()
    me = mediator(dispute["mediator_id"])
    await mediation.ok(case_id, "agreement", me, agreement(date(2026, 3, 20)))
    mediation.clock.set(datetime(2026, 3, 21, 1, 0, tzinfo=UTC))  # the deadline has passed
    await mediation.ok(case_id, "performance", me, {"performed": False, "note": "未付款"})
    referred = await mediation.ok(case_id, "refer", me, {"reason": "未履行"})
    assert referred["state"] == "referred_to_arbitration"
    last = (await mediation.events(case_id))[-1]
    assert last["event_type"] == "dispute.referred_to_arbitration"
    assert last["payload"]["payment_order_eligible"] is True
    assert (await mediation.ok(case_id, "close", me))["state"] == "closed"


async def test_an_objection_reassigns_and_the_mediator_is_never_chosen_again(
    mediation: Mediation,
):
    case_id, dispute = await mediation.accepted()
    first = dispute["mediator_id"]
    outsider = auth_headers("complainant", "p-someone")
    assert (await mediation.post(case_id, "object", outsider, {"reason": "x"})).status_code == 403
    party = auth_headers("respondent", "org-91310118HQLW00002A")
    moved = await mediation.ok(case_id, "object", party, {"reason": "曾代理对方"})
    assert moved["mediator_id"] != first
    assert moved["state"] == "assigned"
    last = (await mediation.events(case_id))[-1]
    assert last["event_type"] == "mediator.reassigned"
    assert last["payload"]["previous_mediator_id"] == first
    again = await mediation.ok(case_id, "object", party, {"reason": "再次申请回避"})
    assert again["mediator_id"] not in (first, moved["mediator_id"])


async def test_a_risk_flag_routes_the_case_to_the_police_member(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation()
    flagged = await mediation.ok(
        case_id, "risk", mediator(dispute["mediator_id"]), {"reason": "扬言过激行为"}
    )
    assert flagged["mediator_id"] == "med-chen"  # the police station's mediator
    assert flagged["state"] == "in_mediation"


async def test_the_mediation_limit_of_a_platform_dispute_extends_once_with_consent(
    mediation: Mediation,
):
    case_id, dispute = await mediation.in_mediation(platform_worker=True)
    me = mediator(dispute["mediator_id"])
    limit = next(c for c in dispute["clocks"] if c["clock"] == "mediation_limit")
    assert limit["due_on"] == "2026-03-17"  # from acceptance
    one_sided = {"days": 10, "complainant_consent": True, "respondent_consent": False}
    refused = await mediation.post(case_id, "extend", me, one_sided)
    assert refused.status_code == 422
    assert refused.json()["detail"]["errors"][0]["field"] == "respondent_consent"
    both = one_sided | {"respondent_consent": True}
    assert (await mediation.post(case_id, "extend", me, both | {"days": 16})).status_code == 422
    extended = await mediation.ok(case_id, "extend", me, both)
    limit = next(c for c in extended["clocks"] if c["clock"] == "mediation_limit")
    assert limit["due_on"] == "2026-03-27"
    again = await mediation.post(case_id, "extend", me, both)
    assert again.status_code == 409  # the rule refuses it, whoever asks
    assert again.json()["detail"]["message"] == "the mediation limit has already been extended once"
    assert (await mediation.events(case_id))[-1]["payload"]["new_limit_on"] == "2026-03-27"


async def test_an_ordinary_dispute_cannot_be_extended(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation()
    body = {"days": 5, "complainant_consent": True, "respondent_consent": True}
    refused = await mediation.post(case_id, "extend", mediator(dispute["mediator_id"]), body)
    assert refused.status_code == 409  # the assigned mediator may extend; this dispute may not
    assert "platform-worker" in refused.json()["detail"]["message"]


async def test_sessions_are_scheduled_rescheduled_and_held(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation()
    me = mediator(dispute["mediator_id"])
    starts = (MONDAY + timedelta(days=3)).isoformat()
    nowhere = await mediation.post(case_id, "sessions", me, {"starts_at": starts})
    assert nowhere.status_code == 422
    session = await mediation.ok(
        case_id, "sessions", me, {"starts_at": starts, "place": "华新镇卡友驿站调解室"}
    )
    assert dispute["mediator_id"] in session["attendees"]
    later = (MONDAY + timedelta(days=5)).isoformat()
    moved = await mediation.ok(
        case_id,
        f"sessions/{session['session_id']}/reschedule",
        me,
        {"starts_at": later, "reason": "申请人需出车"},
    )
    assert moved["reschedules"] == 1
    held_path = f"sessions/{session['session_id']}/held"
    early = await mediation.post(case_id, held_path, me, {"summary": "双方初步同意分期"})
    assert early.status_code == 409  # not held before it starts (time order, #19)
    # the reminder fires once, a day before the rescheduled time, never for the old time
    mediation.clock.set(MONDAY + timedelta(days=4, hours=1))
    assert await mediation.scheduler.run_once() == 1
    mediation.clock.set(MONDAY + timedelta(days=5, hours=2))
    assert await mediation.scheduler.run_once() == 0
    held = await mediation.ok(case_id, held_path, me, {"summary": "双方初步同意分期"})
    assert held["status"] == "held"
    types = await mediation.event_types(case_id)
    assert types[-4:] == [
        "session.scheduled",
        "session.rescheduled",
        "session.reminder",
        "session.held",
    ]
