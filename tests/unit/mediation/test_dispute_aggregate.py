"""The Dispute aggregate alone: its steps, its kept clocks, the timers they order and the
events it raises. Pure: no repository, no unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.domain.agreement import AgreementTerms
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.dispute import Dispute
from services.mediation.domain.errors import AgainstTheRules, IllegalTransition, NotAllowed
from services.mediation.domain.roster import Mediator
from services.mediation.domain.targets import Target
from shared.contracts.envelope import SYSTEM, Actor

CAL = load_calendar()
RECEIVED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
ACCEPTANCE = Target(name="acceptance_target", working_days=3)
MEDIATION = Target(name="mediation_target", working_days=10)
COMMITTEE = Actor(role="committee", id="committee-1")
MEDIATOR = Actor(role="mediator", id="m-1")


def registered(*, platform_worker: bool = False, known: date | None = None) -> Dispute:
    dispute = Dispute(
        case_id=uuid.uuid4(),
        tracking_code="M1234567",
        state="registered",
        dispute_type="unpaid_wages",
        title="拖欠工资",
        complainant_id="c-1",
        application_received_at=RECEIVED,
        platform_worker=platform_worker,
        respondents=[{"party_id": "org-1", "display_name": "某公司"}],
        infringement_known_on=known,
    )
    dispute.register(ACCEPTANCE, [], CAL, RECEIVED)
    return dispute


def in_mediation(**kwargs: bool) -> Dispute:
    dispute = registered(**kwargs)
    dispute.accept(COMMITTEE, RECEIVED, CAL)
    dispute.assign(Mediator(mediator_id="m-1", name="甲", body_id="lawfirm"), "律所", RECEIVED)
    dispute.start(MEDIATOR, RECEIVED)
    dispute.events.clear()
    return dispute


def armed(dispute: Dispute) -> list[str]:
    return [o.kinds[0] for o in dispute.timers if o.verb == "arm"]


def test_a_filed_dispute_is_registered_for_review_with_its_legal_clocks_from_receipt():
    dispute = registered(known=date(2026, 11, 20))
    assert dispute.state == "acceptance_review"
    assert [e.event_type for e in dispute.events] == ["dispute.registered"]
    limit = dispute.clocks["mediation_limit"]
    assert (limit.started_on, limit.due_on, limit.status) == (
        date(2026, 12, 1),
        date(2026, 12, 16),
        "open",
    )
    assert dispute.clocks["arbitration_limitation"].due_on == date(2027, 11, 22)  # a Saturday moved
    assert dispute.clocks["acceptance_target"].due_on == date(2026, 12, 4)
    assert "mediation_limit:expire" in armed(dispute)
    assert [h.to_state for h in dispute.history] == ["acceptance_review"]


def test_a_platform_workers_limit_starts_only_on_acceptance():
    dispute = registered(platform_worker=True)
    assert "mediation_limit" not in dispute.clocks
    later = RECEIVED + timedelta(days=2)
    dispute.accept(COMMITTEE, later, CAL)
    assert dispute.clocks["mediation_limit"].started_on == date(2026, 12, 3)
    assert dispute.clocks["acceptance_target"].status == "stopped"


def test_only_the_committee_rejects_and_a_rejection_stops_the_mediation_clocks():
    dispute = registered()
    with pytest.raises(NotAllowed):
        dispute.reject("不属于受理范围", MEDIATOR, RECEIVED)
    dispute.reject("不属于受理范围", COMMITTEE, RECEIVED)
    assert (dispute.state, dispute.outcome) == ("rejected", "rejected")
    assert dispute.clocks["mediation_limit"].status == "stopped"
    assert dispute.events[-1].event_type == "dispute.rejected"


def test_a_respondent_not_named_cannot_decline():
    dispute = registered()
    with pytest.raises(NotAllowed):
        dispute.respondent_decline("", Actor(role="respondent", id="org-2"), RECEIVED)
    dispute.respondent_decline("不同意调解", Actor(role="respondent", id="org-1"), RECEIVED)
    assert dispute.state == "respondent_declined"


def test_waiting_on_a_party_pauses_the_mediation_target_but_not_the_legal_limit():
    dispute = in_mediation()
    dispute.refresh_mediation_target(MEDIATION, [], CAL, RECEIVED)
    assert dispute.clocks["mediation_target"].status == "open"
    dispute.wait_for_party("respondent", "补充材料", MEDIATOR, RECEIVED + timedelta(days=1))
    dispute.refresh_mediation_target(MEDIATION, [], CAL, RECEIVED + timedelta(days=1))
    assert dispute.clocks["mediation_target"].status == "paused"
    assert dispute.clocks["mediation_limit"].status == "open"
    assert dispute.timers[-1].verb == "cancel"


def test_an_extension_moves_a_platform_workers_limit_once_with_both_consents():
    dispute = in_mediation(platform_worker=True)
    with pytest.raises(AgainstTheRules):
        in_mediation().extend(5, (True, True), "", MEDIATOR, RECEIVED, CAL)
    due = dispute.extend(10, (True, True), "双方同意", MEDIATOR, RECEIVED, CAL)
    assert due.due_on == date(2026, 12, 28)  # 1 Dec + 25 = 26 Dec, a Saturday: Monday
    assert dispute.clocks["mediation_limit"].due_on == date(2026, 12, 28)
    assert dispute.mediation_extended_days == 10
    assert dispute.events[-1].event_type == "mediation.extended"
    with pytest.raises(AgainstTheRules):
        dispute.extend(2, (True, True), "", MEDIATOR, RECEIVED, CAL)


def test_the_limit_running_out_ends_mediation_and_names_the_arbitration_limitation():
    dispute = in_mediation(known=date(2026, 11, 20))
    assert dispute.expire(ClockName.MEDIATION_LIMIT, RECEIVED + timedelta(days=16), CAL)
    assert dispute.state == "expired_no_agreement"
    assert [e.event_type for e in dispute.events] == ["deadline.expired", "mediation.expired"]
    ended = dispute.events[-1].payload
    assert ended.arbitration_limitation_on == date(2027, 11, 22)  # type: ignore[attr-defined]
    assert dispute.clocks["mediation_limit"].status == "expired"


def test_an_agreement_starts_the_party_windows_and_an_unrecorded_deadline_is_non_performance():
    dispute = in_mediation()
    terms = AgreementTerms(
        facts="欠薪",
        terms="支付工资",
        performance_manner="转账",
        performance_deadline=date(2026, 12, 10),
        signed_by_complainant=True,
        signed_by_respondent=True,
        signed_by_mediator=True,
        sealed_by_committee=True,
    )
    with pytest.raises(NotAllowed):
        dispute.sign_agreement(terms, COMMITTEE, RECEIVED, CAL)
    dispute.sign_agreement(terms, MEDIATOR, RECEIVED, CAL)
    assert dispute.state == "performance_monitoring"
    assert {"judicial_confirmation", "arbitration_review", "performance"} <= dispute.clocks.keys()
    assert dispute.clocks["mediation_limit"].status == "stopped"
    assert not dispute.expire(ClockName.PERFORMANCE, RECEIVED + timedelta(days=10), CAL)
    assert dispute.state == "non_performance"
    dispute.refer_to_arbitration("未履行", MEDIATOR, RECEIVED, payment_order=True)
    assert dispute.state == "referred_to_arbitration"


def test_closing_keeps_the_limitation_running_for_a_party_without_a_remedy():
    dispute = in_mediation(known=date(2026, 11, 20))
    dispute.end_without_agreement("fail", "mediation.failed", "分歧大", MEDIATOR, RECEIVED)
    dispute.close(MEDIATOR, RECEIVED)
    assert (dispute.state, dispute.outcome) == ("closed", "failed")
    assert dispute.clocks["arbitration_limitation"].status == "open"
    with pytest.raises(IllegalTransition):
        dispute.start(MEDIATOR, RECEIVED)


def test_history_positions_number_every_step_even_at_one_instant():
    dispute = in_mediation()
    assert [h.position for h in dispute.history] == [1, 2, 3, 4]
    assert dispute.history[2].actor == SYSTEM
