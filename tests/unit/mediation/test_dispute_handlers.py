"""Mediation's dispute use cases on a fake unit of work: the service layer in memory, no I/O.

The same flows run against PostgreSQL and Redis in tests/integration/test_mediation_*.py;
these check the use cases' wiring (load, aggregate, save, outbox, timers) in milliseconds.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.domain.agreement import AgreementTerms
from services.mediation.domain.dispute import Dispute
from services.mediation.domain.errors import IllegalTransition, NotAllowed
from services.mediation.domain.roster import DutyBody, Mediator, Roster
from services.mediation.service_layer import acceptance, assignment, casework, sessions
from services.mediation.service_layer.context import Context, Policy
from services.mediation.service_layer.deadlines import on_timer
from shared.contracts.envelope import Actor
from shared.messaging.timers import Timer
from shared.platform.clock import FrozenClock
from tests.unit.fake_uow import FakeUnitOfWork
from tests.unit.mediation.fakes import FakeDisputeRepository

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
ROSTER = Roster(
    bodies=(DutyBody(body_id="lawfirm", name="律所", kind="law_firm"),),
    mediators=(
        Mediator(mediator_id="m-1", name="甲", body_id="lawfirm"),
        Mediator(mediator_id="m-2", name="乙", body_id="lawfirm"),
    ),
    rotation=("lawfirm",),
)
COMMITTEE = Actor(role="committee", id="committee-1")
TERMS = AgreementTerms(
    facts="欠薪",
    terms="支付工资",
    performance_manner="转账",
    performance_deadline=date(2026, 12, 10),
    signed_by_complainant=True,
    signed_by_respondent=True,
    signed_by_mediator=True,
    sealed_by_committee=True,
)


class World:
    """A fake unit of work over an in-memory repository, and a frozen clock."""

    def __init__(self) -> None:
        self.clock = FrozenClock(START)
        self.repo = FakeDisputeRepository()
        self.uow = FakeUnitOfWork("mediation", self.clock, disputes=self.repo)
        self.ctx = Context(
            roster_file=ROSTER, calendar=load_calendar(), policy=Policy(), now=self.clock.now
        )

    def registered(self, *, platform_worker: bool = False) -> uuid.UUID:
        dispute = Dispute(
            case_id=uuid.uuid4(),
            tracking_code="M1234567",
            state="registered",
            dispute_type="unpaid_wages",
            title="拖欠工资",
            complainant_id="c-1",
            application_received_at=START,
            platform_worker=platform_worker,
            respondents=[{"party_id": "org-1", "display_name": "某公司"}],
            infringement_known_on=date(2026, 11, 20),
        )
        dispute.register(self.ctx.policy.acceptance_target, [], self.ctx.calendar, START)
        self.repo.add(dispute)
        return dispute.case_id

    async def act(self, use_case: Any, case_id: uuid.UUID, *args: Any) -> list[str]:
        """Apply one request as an HTTP route does (use case, commit); the events committed."""
        async with self.uow as uow:
            await use_case(case_id, *args, uow, self.ctx)
        return [e.event_type for e in self.uow.committed_events]

    async def fire(self, case_id: uuid.UUID, kind: str) -> list[str]:
        """Fire the pending timer of this kind as the scheduler would."""
        ((due, data),) = [
            (at, d) for (k, at), d in self.repo.pending_timers(case_id).items() if k == kind
        ]
        self.clock.set(due)
        async with self.uow as uow:
            await on_timer(Timer(uuid.uuid4(), case_id, kind, due, data), uow, self.ctx)
            await uow.commit()
        self.repo.fired.add((case_id, kind, due))
        return [e.event_type for e in self.uow.committed_events]

    def dispute(self, case_id: uuid.UUID) -> Dispute:
        return self.repo.disputes[case_id]

    def pending(self, case_id: uuid.UUID) -> set[str]:
        return {kind for kind, _at in self.repo.pending_timers(case_id)}

    async def mediating(self, **kwargs: bool) -> tuple[uuid.UUID, Actor]:
        case_id = self.registered(**kwargs)
        await self.act(acceptance.accept_dispute, case_id, COMMITTEE)
        mediator = Actor(role="mediator", id=self.dispute(case_id).mediator_id or "")
        await self.act(casework.start_mediation, case_id, mediator)
        return case_id, mediator


async def test_accepting_assigns_a_mediator_and_stops_the_acceptance_target():
    w = World()
    case_id = w.registered()
    assert "acceptance_target:expire" in w.pending(case_id)
    events = await w.act(acceptance.accept_dispute, case_id, COMMITTEE)
    assert events == ["dispute.accepted", "mediator.assigned"]
    dispute = w.dispute(case_id)
    assert (dispute.state, dispute.mediator_id) == ("assigned", "m-1")
    assert "acceptance_target:expire" not in w.pending(case_id)
    assert w.repo.assigned.keys() == {"m-1"}


async def test_the_next_acceptance_goes_to_the_mediator_with_less_work():
    w = World()
    await w.act(acceptance.accept_dispute, w.registered(), COMMITTEE)
    second = w.registered()
    await w.act(acceptance.accept_dispute, second, COMMITTEE)
    assert w.dispute(second).mediator_id == "m-2"


async def test_a_declining_respondent_ends_it_and_its_mediation_timers():
    w = World()
    case_id = w.registered()
    respondent = Actor(role="respondent", id="org-1")
    events = await w.act(acceptance.respondent_declines, case_id, "不同意", respondent)
    assert events == ["dispute.respondent_declined"]
    assert w.pending(case_id) == {
        "arbitration_limitation:expire",
        "arbitration_limitation:warn:30",
        "arbitration_limitation:warn:7",
    }


async def test_another_mediator_cannot_act_and_nothing_is_saved():
    w = World()
    case_id, _mediator = await w.mediating()
    with pytest.raises(NotAllowed):
        await w.act(casework.fail, case_id, "x", Actor(role="mediator", id="m-9"))
    assert w.dispute(case_id).state == "in_mediation"


async def test_waiting_on_a_party_pauses_the_target_timer_and_resuming_rearms_it():
    w = World()
    case_id, mediator = await w.mediating()
    assert "mediation_target:expire" in w.pending(case_id)
    await w.act(casework.wait_for_party, case_id, "respondent", "补材料", mediator)
    assert "mediation_target:expire" not in w.pending(case_id)
    assert w.dispute(case_id).clocks["mediation_target"].status == "paused"
    w.clock.advance(timedelta(days=7))
    events = await w.act(casework.resume, case_id, "材料已补", mediator)
    assert events == ["mediation.resumed"]
    target = w.dispute(case_id).clocks["mediation_target"]
    assert target.status == "open" and target.due_on == date(2026, 12, 22)


async def test_an_extension_moves_the_limit_timer_to_the_new_day():
    w = World()
    case_id, mediator = await w.mediating(platform_worker=True)
    events = await w.act(casework.extend, case_id, 10, (True, True), "双方同意", mediator)
    assert events == ["mediation.extended"]
    expiries = [
        at for (kind, at) in w.repo.pending_timers(case_id) if kind == "mediation_limit:expire"
    ]
    # 1 Dec + 25 days is a Saturday: the limit's last day is Monday 28 Dec, out at midnight
    assert [at.date() for at in expiries] == [date(2026, 12, 29)]
    assert w.dispute(case_id).clocks["mediation_limit"].due_on == date(2026, 12, 28)


async def test_the_expiry_timer_ends_mediation_and_the_failed_dispute_is_referred_and_closed():
    w = World()
    case_id, mediator = await w.mediating()
    events = await w.fire(case_id, "mediation_limit:expire")
    assert events == ["deadline.expired", "mediation.expired"]
    assert w.dispute(case_id).state == "expired_no_agreement"
    assert not {k for k in w.pending(case_id) if k.startswith("mediation_target")}
    events = await w.act(casework.refer_to_arbitration, case_id, "申请仲裁", mediator)
    assert events == ["dispute.referred_to_arbitration"]
    assert await w.act(casework.close, case_id, mediator) == ["dispute.closed"]
    assert w.dispute(case_id).outcome == "expired_no_agreement"


async def test_a_timer_for_a_clock_that_moved_says_nothing():
    w = World()
    case_id, mediator = await w.mediating()
    ((due, data),) = [
        (at, d)
        for (k, at), d in w.repo.pending_timers(case_id).items()
        if k == "mediation_limit:expire"
    ]
    await w.act(casework.fail, case_id, "分歧大", mediator)
    async with w.uow as uow:
        await on_timer(
            Timer(uuid.uuid4(), case_id, "mediation_limit:expire", due, data), uow, w.ctx
        )
        await uow.commit()
    assert w.uow.committed_events == []


async def test_an_agreement_is_monitored_and_an_unrecorded_deadline_is_non_performance():
    w = World()
    case_id, mediator = await w.mediating()
    assert await w.act(casework.sign_agreement, case_id, TERMS, mediator) == ["agreement.signed"]
    assert {"performance:expire", "judicial_confirmation:expire"} <= w.pending(case_id)
    events = await w.fire(case_id, "performance:expire")
    assert events == ["deadline.expired", "performance.not_performed"]
    assert w.dispute(case_id).state == "non_performance"


async def test_failing_names_the_arbitration_limitation_in_its_event():
    w = World()
    case_id, mediator = await w.mediating()
    assert await w.act(casework.fail, case_id, "分歧大", mediator) == ["mediation.failed"]
    (failed,) = w.uow.committed_events
    assert failed.payload["arbitration_limitation_on"] == "2027-11-22"


async def test_a_session_is_scheduled_with_a_reminder_moved_and_held():
    w = World()
    case_id, mediator = await w.mediating()
    starts = START + timedelta(days=3)
    async with w.uow as uow:
        s = await sessions.schedule_session(
            case_id, starts, "调解室", False, [], mediator, uow, w.ctx
        )
    assert [e.event_type for e in w.uow.committed_events] == ["session.scheduled"]
    assert s.attendees == ["c-1", "org-1", mediator.id]
    reminder = f"session_reminder:{s.session_id}"
    assert reminder in w.pending(case_id)
    later = starts + timedelta(days=1)
    events = await w.act(
        sessions.reschedule_session, case_id, s.session_id, later, None, "当事人出差", mediator
    )
    assert events == ["session.rescheduled"]
    ((kind, at),) = [(k, a) for k, a in w.repo.pending_timers(case_id) if k == reminder]
    assert at == later - timedelta(hours=24)
    w.clock.set(later + timedelta(hours=2))
    events = await w.act(
        sessions.hold_session, case_id, s.session_id, "达成初步意向", None, mediator
    )
    assert events == ["session.held"]
    assert w.repo.sessions[s.session_id].status == "held"
    with pytest.raises(IllegalTransition):
        await w.act(sessions.hold_session, case_id, s.session_id, "再记一次", None, mediator)
    actions = [h.action for h in w.repo.history[case_id]]
    assert actions[-3:] == ["schedule_session", "reschedule_session", "hold_session"]


async def test_no_session_is_scheduled_before_a_mediator_has_the_dispute():
    w = World()
    case_id = w.registered()
    with pytest.raises(IllegalTransition):
        await w.act(
            sessions.schedule_session,
            case_id,
            START + timedelta(days=1),
            "",
            True,
            [],
            COMMITTEE,
        )
    assert w.repo.sessions == {}


async def test_an_objection_replaces_the_mediator_for_good():
    w = World()
    case_id, mediator = await w.mediating()
    complainant = Actor(role="complainant", id="c-1")
    events = await w.act(assignment.object_to_mediator, case_id, "有利害关系", complainant)
    assert events == ["mediator.reassigned"]
    dispute = w.dispute(case_id)
    assert dispute.mediator_id == "m-2" and dispute.objected_mediators == [mediator.id]
    assert w.repo.history[case_id][-1].note == "m-1 -> m-2: objection: 有利害关系"
