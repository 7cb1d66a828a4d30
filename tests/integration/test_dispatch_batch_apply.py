"""Intake's events applied as one batch (the backlog drain's path): a batch's new hazards,
their history and timers are written with its commit, and a later event of the batch about
a hazard filed earlier in it still finds that hazard."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from services.dispatch.adapters.tables import HazardHistory
from shared.contracts.envelope import Envelope
from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import START, Dispatch, case_filed, corrected

pytestmark = pytest.mark.integration


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


def _entries(events: list[Envelope]) -> list[tuple[str, bytes, dict[str, str]]]:
    return [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(events)]


async def _history_rows(dispatch: Dispatch) -> int:
    async with dispatch.runtime.engine.connect() as conn:
        table = HazardHistory.__table__  # type: ignore[attr-defined]
        return int((await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar())


async def test_a_batch_routes_its_hazards_and_a_later_event_finds_one_filed_in_it(
    dispatch: Dispatch,
):
    first = case_filed("road_damage", "zhaoxiang")
    second = case_filed("fire_lane_blocked", "xujing")
    moved = corrected(first.case_id, "manhole_cover", "xujing", ("road_damage", "zhaoxiang"))
    batch = _entries([first, second, moved])
    consumer = dispatch.runtime.consumer
    acks = await consumer.apply_entries("intake.events", batch)
    assert sorted(acks) == sorted(i for i, _b, _h in batch)
    assert consumer.batch_fallbacks_total == 0  # applied as one batch, not one by one
    hazard = await dispatch.get(first.case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-road")
    assert [h["action"] for h in hazard["history"]][-3:] == ["correct", "retriage", "dispatch"]
    other = await dispatch.get(second.case_id)
    assert other["state"] == "dispatched"
    assert await dispatch.types(second.case_id) == ["hazard.dispatched"]
    assert await dispatch.timers(second.case_id)
    live = [t for t in await dispatch.timers(first.case_id) if t["cancelled_at"] is None]
    assert live and all(t["data"] is not None for t in live)
    history = await _history_rows(dispatch)
    emitted = len(await dispatch.emitted(suggestions=True))
    # Redelivered, the batch changes nothing.
    assert sorted(await consumer.apply_entries("intake.events", batch)) == sorted(acks)
    assert await _history_rows(dispatch) == history
    assert len(await dispatch.emitted(suggestions=True)) == emitted
