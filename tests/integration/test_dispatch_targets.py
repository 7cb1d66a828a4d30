"""Service targets: a warning before each breach and an escalation up the chain on it, each
exactly once per (ticket, target, due time) with two replicas and a restart (J2)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import (
    START,
    Dispatch,
    answer,
    case_filed,
    dept,
    reporter_of,
)

pytestmark = pytest.mark.integration


def _alerts(events: list) -> Counter[tuple[str, str, int]]:
    """(event type, target, level) of every warning and escalation."""
    return Counter(
        (e.event_type, e.payload["target"], e.payload.get("level", 0))
        for e in events
        if e.event_type in ("hazard.target_warning", "hazard.escalated")
    )


async def _at(clock: FrozenClock, offset: timedelta, *replicas: Dispatch) -> None:
    """Move the clock and let every replica's scheduler run at once."""
    clock.set(START + offset)
    await asyncio.gather(*(r.tick() for r in replicas))


async def test_warning_then_escalation_up_the_chain_each_exactly_once_across_replicas_and_a_restart(
    database_url: str, redis_url: str
):
    clock = FrozenClock(START)
    a = await Dispatch(database_url, redis_url, clock).__aenter__()
    b = await Dispatch(database_url, redis_url, clock).__aenter__()
    try:
        filed = case_filed("fire_lane_blocked", "xujing")  # acknowledge 2 h, resolve 1 day
        assert await a.feed(filed)
        case_id = filed.case_id

        await _at(clock, timedelta(hours=1, minutes=29), a, b)
        assert _alerts(await a.emitted(case_id)) == Counter()
        await _at(clock, timedelta(hours=1, minutes=30), a, b)  # a quarter of the time left
        assert _alerts(await a.emitted(case_id)) == Counter(
            {("hazard.target_warning", "acknowledge", 0): 1}
        )
        await _at(clock, timedelta(hours=2), a, b)
        await _at(clock, timedelta(hours=2), a, b)

        await b.__aexit__()  # one replica restarts
        b = await Dispatch(database_url, redis_url, clock).__aenter__()
        await _at(clock, timedelta(hours=2, minutes=1), a, b)
        for offset in (18, 24, 26, 48, 49, 100):
            await _at(clock, timedelta(hours=offset), a, b)

        events = await a.emitted(case_id)
        assert _alerts(events) == Counter(
            {
                ("hazard.target_warning", "acknowledge", 0): 1,
                ("hazard.escalated", "acknowledge", 1): 1,
                ("hazard.escalated", "acknowledge", 2): 1,
                ("hazard.target_warning", "resolve", 0): 1,
                ("hazard.escalated", "resolve", 1): 1,
                ("hazard.escalated", "resolve", 2): 1,
            }
        )
        escalations = [e.payload for e in events if e.event_type == "hazard.escalated"]
        first = escalations[0]
        assert first["escalated_to"] == "xujing-supervisor"
        assert first["escalated_to_name"] == "徐泾镇城运中心（督办）"
        assert first["department_id"] == "xujing-property"
        assert first["state"] == "dispatched"
        assert [p["escalated_to"] for p in escalations if p["target"] == "resolve"] == [
            "xujing-supervisor",
            "district-supervisor",
        ]
        warning = next(e.payload for e in events if e.event_type == "hazard.target_warning")
        assert warning["department_id"] == "xujing-property"
        assert warning["due_at"].startswith("2026-12-01T05:40")
        hazard = await a.get(case_id)
        assert "acknowledge_escalation" in [h["action"] for h in hazard["history"]]
    finally:
        await a.__aexit__()
        await b.__aexit__()


async def test_acknowledging_in_time_stops_the_acknowledge_clock_but_not_the_resolve_one(
    database_url: str, redis_url: str
):
    clock = FrozenClock(START)
    async with Dispatch(database_url, redis_url, clock) as d:
        filed = case_filed("fire_lane_blocked", "xujing")
        await d.feed(filed)
        clock.advance(timedelta(hours=1))
        assert (
            await d.post(filed.case_id, "acknowledge", dept("xujing-property"))
        ).status_code == 200
        for hours in (2, 3, 17):  # the resolve warning is due at 18 h
            await _at(clock, timedelta(hours=hours), d)
        assert _alerts(await d.emitted(filed.case_id)) == Counter()
        await _at(clock, timedelta(days=1), d)
        assert _alerts(await d.emitted(filed.case_id)) == Counter(
            {("hazard.target_warning", "resolve", 0): 1, ("hazard.escalated", "resolve", 1): 1}
        )


async def test_a_reopened_ticket_is_escalated_against_its_new_due_time_only(
    database_url: str, redis_url: str
):
    """J2: not fixed → back to property management → escalated when the new target passes."""
    clock = FrozenClock(START)
    async with Dispatch(database_url, redis_url, clock) as d:
        filed = case_filed("fire_lane_blocked", "xujing")
        case_id = filed.case_id
        await d.feed(filed)
        await d.post(case_id, "acknowledge", dept("xujing-property"))
        await d.post(case_id, "resolve", dept("xujing-property"), {"note": "已清理"})
        await _at(clock, timedelta(hours=5), d)
        assert await d.feed(answer(case_id, reporter_of(filed), fixed=False, note="又堵上了"))
        new_due = (await d.get(case_id))["resolve_due"]
        assert new_due.startswith("2026-12-02T08:40")  # a day from the reopen

        for hours in (24, 25):  # the first due time passes: nothing, it was met
            await _at(clock, timedelta(hours=hours), d)
        assert _alerts(await d.emitted(case_id))[("hazard.escalated", "resolve", 1)] == 0
        await d.post(case_id, "acknowledge", dept("xujing-property"))
        await _at(clock, timedelta(hours=29), d)
        await _at(clock, timedelta(hours=29, minutes=30), d)
        escalated = [
            e
            for e in await d.emitted(case_id)
            if e.event_type == "hazard.escalated" and e.payload["target"] == "resolve"
        ]
        assert [(e.payload["level"], e.payload["escalated_to"]) for e in escalated] == [
            (1, "xujing-supervisor")
        ]
        assert escalated[0].payload["due_at"].startswith("2026-12-02T08:40")
        assert escalated[0].payload["state"] == "acknowledged"


async def test_a_resolved_ticket_is_never_escalated(database_url: str, redis_url: str):
    clock = FrozenClock(START)
    async with Dispatch(database_url, redis_url, clock) as d:
        filed = case_filed()
        await d.feed(filed)
        await d.post(filed.case_id, "acknowledge", dept("zhaoxiang-road"))
        await d.post(filed.case_id, "resolve", dept("zhaoxiang-road"), {"note": "ok"})
        for days in (1, 2, 3, 6):
            await _at(clock, timedelta(days=days), d)
        assert _alerts(await d.emitted(filed.case_id)) == Counter()
        assert (await d.get(filed.case_id))["state"] == "resolved"  # the window is 7 days


async def test_a_timer_gives_way_to_a_department_changing_the_hazard_and_fires_after(
    new_pg_database, redis_url: str
):
    """PostgreSQL row locks: a firing never waits on a hazard a request holds (no deadlock)."""
    from services.dispatch.service_layer.steps import load

    clock = FrozenClock(START)
    async with Dispatch(new_pg_database(), redis_url, clock) as d:
        filed = case_filed("fire_lane_blocked", "xujing")
        await d.feed(filed)
        clock.set(START + timedelta(hours=1, minutes=30))
        async with d.runtime.uow() as busy:
            await load(busy, filed.case_id)  # a department's request holds the hazard
            assert await asyncio.wait_for(d.tick(), timeout=10) == 0
        assert _alerts(await d.emitted(filed.case_id)) == Counter()
        assert await d.tick() == 1
        assert _alerts(await d.emitted(filed.case_id)) == Counter(
            {("hazard.target_warning", "acknowledge", 0): 1}
        )
