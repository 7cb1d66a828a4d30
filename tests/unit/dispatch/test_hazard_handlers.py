"""Dispatch's hazard handlers on a fake unit of work: the service layer in memory, no I/O.

The same flows run against PostgreSQL and Redis in tests/integration/test_dispatch_*.py;
these check the use cases' wiring (load, aggregate, save, outbox, timers) in milliseconds.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.dispatch.domain.directory import Department, Directory, ServiceTarget
from services.dispatch.domain.errors import NotAllowed
from services.dispatch.service_layer import work
from services.dispatch.service_layer.breaches import on_timer
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.duplicates import on_case_merged
from services.dispatch.service_layer.loop import on_reporter_answer
from services.dispatch.service_layer.routing import receive_hazard
from services.dispatch.service_layer.steps import load
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import (
    CaseFiled,
    CaseMerged,
    HazardDetails,
    ReporterConfirmedFixed,
    ReporterReportedNotFixed,
)
from shared.messaging.timers import Timer
from shared.platform.clock import FrozenClock
from tests.unit.dispatch.fakes import FakeHazardRepository
from tests.unit.fake_uow import FakeUnitOfWork

START = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)
DIRECTORY = Directory(
    departments=(
        Department(
            department_id="zx-road",
            name="赵巷镇道路养护所",
            categories=frozenset({"road_damage"}),
            jurisdictions=frozenset({"zhaoxiang"}),
            escalation=("town",),
        ),
        Department(department_id="urban", name="城管", categories=frozenset({"road_damage"})),
        Department(department_id="town", name="赵巷镇", kind="supervisor"),
    ),
    targets={"road_damage": ServiceTarget(acknowledge_hours=8, resolve_days=5)},
    points={"road_damage": 5},
)
ROAD = Actor(role="department", id="zx-road")


class World:
    """A fake unit of work over an in-memory repository, and a frozen clock."""

    def __init__(self, directory: Directory = DIRECTORY) -> None:
        self.clock = FrozenClock(START)
        self.repo = FakeHazardRepository(directory)
        self.uow = FakeUnitOfWork("dispatch", self.clock, hazards=self.repo)
        # District, calendar and reach are for stations; none of these handlers reads them.
        self.ctx = Context(clock=self.clock, district=None, calendar=None)  # type: ignore[arg-type]

    async def feed(self, handler: Any, envelope: Envelope) -> list[str]:
        """Apply one event as the consumer kit does; the event types it committed."""
        async with self.uow as uow:
            await handler(envelope, uow, self.ctx)
            uow.record_processed(envelope)
            await uow.commit()
        return [e.event_type for e in self.uow.committed_events]

    async def act(self, case_id: uuid.UUID, use_case: Any, *args: Any) -> list[str]:
        """Apply one request as an HTTP route does (load, use case, commit)."""
        async with self.uow as uow:
            await use_case(await load(uow, case_id), *args, uow, self.ctx)
            await uow.commit()
        return [e.event_type for e in self.uow.committed_events]

    async def fire(self, case_id: uuid.UUID, kind: str) -> list[str]:
        """Fire the pending timer of this kind as the scheduler would."""
        ((due, data),) = [
            (at, data) for (k, at), data in self.repo.pending_timers(case_id).items() if k == kind
        ]
        async with self.uow as uow:
            await on_timer(Timer(uuid.uuid4(), case_id, kind, due, data), uow, self.ctx)
            await uow.commit()
        return [e.event_type for e in self.uow.committed_events]

    def state(self, case_id: uuid.UUID) -> str:
        return self.repo.hazards[case_id].state


def case_filed(
    *, jurisdiction: str = "zhaoxiang", duplicate_of: uuid.UUID | None = None
) -> Envelope:
    party = PartyRef(role="reporter", party_id=f"p-{uuid.uuid4().hex[:8]}", display_name="吴师傅")
    return _intake(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code=f"T{uuid.uuid4().hex[:8].upper()}",
            channel="open311",
            title="路面塌陷",
            description="赵巷镇路面塌陷",
            jurisdiction=jurisdiction,
            parties=[party],
            hazard=HazardDetails(category="road_damage", location=GeoPoint(lat=31.1, lng=121.2)),
            duplicate_of=duplicate_of,
        ),
        uuid.uuid4(),
    )


def _intake(event_type: str, payload: Any, case_id: uuid.UUID, actor: Actor | None = None):
    return new_event(
        event_type,
        payload,
        case_id=case_id,
        actor=actor or Actor(role="intake_officer", id="officer-1"),
        producer="intake",
    )


def reporter_of(filed: Envelope) -> Actor:
    return Actor(role="reporter", id=str(filed.payload["parties"][0]["party_id"]))


def answer(filed: Envelope, *, fixed: bool) -> Envelope:
    payload = (
        ReporterConfirmedFixed(note="好了") if fixed else ReporterReportedNotFixed(note="没修")
    )
    kind = "reporter.confirmed_fixed" if fixed else "reporter.reported_not_fixed"
    return _intake(kind, payload, filed.case_id, reporter_of(filed))


async def resolved(w: World) -> Envelope:
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    await w.act(filed.case_id, work.acknowledge, ROAD)
    await w.act(filed.case_id, work.resolve, "补好了", None, ROAD)
    return filed


async def test_a_filed_hazard_is_routed_to_the_local_department_with_its_timers():
    w = World()
    filed = case_filed()
    assert await w.feed(receive_hazard, filed) == ["hazard.dispatched"]
    hazard = w.repo.hazards[filed.case_id]
    assert (hazard.state, hazard.department_id) == ("dispatched", "zx-road")
    assert [e.action for e in w.repo.history[filed.case_id]] == ["triage", "dispatch"]
    kinds = {kind for kind, _at in w.repo.pending_timers(filed.case_id)}
    assert kinds == {
        "acknowledge.warning",
        "acknowledge.escalation.1",
        "resolve.warning",
        "resolve.escalation.1",
    }
    assert filed.event_id in w.uow.processed


async def test_a_hazard_nobody_covers_waits_in_triage_without_timers():
    w = World(Directory(departments=DIRECTORY.departments[:1]))
    filed = case_filed(jurisdiction="nowhere")
    assert await w.feed(receive_hazard, filed) == []
    assert w.state(filed.case_id) == "triaged"
    assert w.repo.history[filed.case_id][-1].action == "hold_for_triage"
    assert w.repo.pending_timers(filed.case_id) == {}


async def test_acknowledging_stops_the_acknowledge_timers_only():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    assert await w.act(filed.case_id, work.acknowledge, ROAD) == ["hazard.acknowledged"]
    assert w.state(filed.case_id) == "acknowledged"
    kinds = {kind for kind, _at in w.repo.pending_timers(filed.case_id)}
    assert kinds == {"resolve.warning", "resolve.escalation.1"}


async def test_another_department_cannot_acknowledge_and_nothing_is_saved():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    with pytest.raises(NotAllowed):
        await w.act(filed.case_id, work.acknowledge, Actor(role="department", id="urban"))
    assert w.state(filed.case_id) == "dispatched"


async def test_a_breached_acknowledge_target_escalates_to_the_town_supervisor():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    assert await w.fire(filed.case_id, "acknowledge.warning") == ["hazard.target_warning"]
    assert await w.fire(filed.case_id, "acknowledge.escalation.1") == ["hazard.escalated"]
    escalated = w.uow.committed_events[0].payload
    assert (escalated["escalated_to"], escalated["escalated_to_name"]) == ("town", "赵巷镇")
    assert w.repo.escalations == [(filed.case_id, "town", "acknowledge", 1)]


async def test_a_timer_for_a_target_already_met_does_nothing():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    pending = w.repo.pending_timers(filed.case_id)
    await w.act(filed.case_id, work.acknowledge, ROAD)
    (due, data), *_ = [(at, d) for (k, at), d in pending.items() if k == "acknowledge.warning"]
    async with w.uow as uow:
        await on_timer(
            Timer(uuid.uuid4(), filed.case_id, "acknowledge.warning", due, data), uow, w.ctx
        )
        await uow.commit()
    assert w.uow.committed_events == []


async def test_resolving_asks_the_reporter_and_starts_the_confirmation_window():
    w = World()
    filed = await resolved(w)
    assert w.state(filed.case_id) == "resolved"
    resolved_event = w.uow.outbox[-1]
    assert resolved_event.event_type == "hazard.resolved"
    confirm_by = datetime.fromisoformat(resolved_event.payload["confirm_by"])
    assert confirm_by == START + timedelta(days=7)
    assert {k for k, _ in w.repo.pending_timers(filed.case_id)} == {"confirmation.window"}


async def test_the_reporter_confirming_closes_it_and_credits_points_once():
    w = World()
    filed = await resolved(w)
    types = await w.feed(on_reporter_answer, answer(filed, fixed=True))
    assert types == ["hazard.confirmed_fixed", "hazard.closed", "points.credited"]
    assert w.state(filed.case_id) == "closed"
    assert w.repo.points == [(reporter_of(filed).id, filed.case_id, "hazard_verified", 5)]
    assert await w.feed(on_reporter_answer, answer(filed, fixed=True)) == []  # asked no more
    assert w.repo.pending_timers(filed.case_id) == {}


async def test_the_reporter_rejecting_reopens_it_to_the_same_department_with_new_dues():
    w = World()
    filed = await resolved(w)
    w.clock.advance(timedelta(days=1))
    types = await w.feed(on_reporter_answer, answer(filed, fixed=False))
    assert types == ["hazard.reopened", "hazard.dispatched"]
    hazard = w.repo.hazards[filed.case_id]
    assert (hazard.state, hazard.department_id) == ("dispatched", "zx-road")
    assert hazard.acknowledge_due == START + timedelta(days=1, hours=8)
    assert [e.action for e in w.repo.history[filed.case_id]][-3:] == [
        "report_not_fixed",
        "reopen",
        "dispatch",
    ]


async def test_silence_through_the_window_closes_it_unconfirmed():
    w = World()
    filed = await resolved(w)
    assert await w.fire(filed.case_id, "confirmation.window") == [
        "hazard.closed",
        "points.credited",
    ]
    assert w.uow.committed_events[0].payload["resolution"] == "resolved_unconfirmed"


async def test_declining_reroutes_to_the_next_department_covering_it():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    types = await w.act(filed.case_id, work.decline, "不归我们", None, ROAD)
    assert types == ["hazard.declined", "hazard.dispatched"]
    assert w.repo.hazards[filed.case_id].department_id == "urban"


async def test_a_merged_duplicate_stops_being_worked_and_its_reporter_follows_the_original():
    w = World()
    original, duplicate = case_filed(), case_filed()
    await w.feed(receive_hazard, original)
    await w.feed(receive_hazard, duplicate)
    merged = _intake(
        "case.merged",
        CaseMerged(
            duplicate_case_id=duplicate.case_id,
            follower=PartyRef(
                role="reporter", party_id=reporter_of(duplicate).id, display_name="李"
            ),
            distance_m=12,
        ),
        original.case_id,
    )
    assert await w.feed(on_case_merged, merged) == ["hazard.marked_duplicate"]
    assert w.state(duplicate.case_id) == "duplicate"
    assert w.repo.pending_timers(duplicate.case_id) == {}
    assert w.repo.followers[original.case_id] == [reporter_of(duplicate).id]
    # The original's fix names its followers.
    await w.act(original.case_id, work.acknowledge, ROAD)
    await w.act(original.case_id, work.resolve, "ok", None, ROAD)
    assert w.uow.committed_events[-1].payload["followers"] == [reporter_of(duplicate).id]


async def test_a_report_filed_as_a_duplicate_is_never_routed():
    w = World()
    original = case_filed()
    await w.feed(receive_hazard, original)
    duplicate = case_filed(duplicate_of=original.case_id)
    assert await w.feed(receive_hazard, duplicate) == ["hazard.marked_duplicate"]
    assert w.repo.hazards[duplicate.case_id].department_id is None


async def test_an_officer_moving_a_routed_ticket_tells_the_department_it_leaves():
    w = World()
    filed = case_filed()
    await w.feed(receive_hazard, filed)
    officer = Actor(role="intake_officer", id="officer-1")
    types = await w.act(filed.case_id, work.route_by_hand, "urban", officer)
    assert types == ["hazard.withdrawn", "hazard.dispatched"]
    assert w.uow.committed_events[0].payload["department_id"] == "zx-road"
    assert w.uow.committed_events[1].payload["rerouted_from"] == "zx-road"
    assert w.repo.hazards[filed.case_id].department_id == "urban"
