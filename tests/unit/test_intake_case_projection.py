"""Intake's case use cases on a fake unit of work, in memory, no I/O:
the projection of other services' events.

The same flows run against PostgreSQL and Redis in tests/integration/test_intake_*.py and
test_open311_conformance.py; these check the use cases' wiring (load, aggregate, save, outbox,
timeline) in milliseconds.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.intake.service_layer import projection
from tests.unit.intake.case_world import START, World, dispatch_event


async def test_projecting_moves_the_status_saves_the_timeline_and_emits_nothing():
    w = World()
    case_id = w.filed()
    envelope = dispatch_event(case_id, "hazard.triaged", START + timedelta(minutes=1), state="x")
    async with w.uow as uow:
        await projection.prepare([envelope], uow)
        await projection.project(envelope, uow)
        await uow.commit()
    assert w.case(case_id).status == "x"
    assert w.repo.timeline_of(case_id) == ["hazard.triaged"]
    assert w.repo.locked == [case_id] and w.uow.outbox == []


async def test_an_unknown_case_is_skipped_and_only_the_newest_points_count():
    w = World()
    case_id = w.filed()
    newer, older = START + timedelta(hours=2), START + timedelta(hours=1)
    async with w.uow as uow:
        await projection.project(dispatch_event(uuid.uuid4(), "hazard.triaged", newer), uow)
        for at, balance in ((newer, 30), (older, 10)):
            credit = dispatch_event(
                case_id, "points.credited", at, reporter_id="p-1", balance=balance
            )
            await projection.project(credit, uow)
        await uow.commit()
    assert (w.repo.points["p-1"].balance, w.repo.points["p-1"].credited_at) == (30, newer)
