"""The training clock over real Redis and databases (#19): an admin moves the clock forward,
J5's warnings (day 10, day 13) and expiry (day 15) fire as they would, each exactly once, and
moving the clock again fires nothing twice. Every service follows the one shared offset."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis.asyncio import Redis

from shared.platform.clock import FrozenClock
from shared.platform.training_clock import KEY, TrainingClock
from shared.platform.training_clock import advance as shared_advance
from tests.auth import auth_headers
from tests.integration.dispatch_harness import START, Dispatch, case_filed, dept
from tests.integration.mediation_harness import COMMITTEE, Mediation, running_mediation

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 2026-12-01, 10:00 in Shanghai
ADMIN = auth_headers("admin", "admin-trainer")


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(
        database_url, redis_url, FrozenClock(NOW), training_clock=True
    ) as service:
        yield service


async def advance(mediation: Mediation, **step: int) -> dict[str, Any]:
    answer = await mediation.client.post("/api/v1/admin/clock/advance", json=step, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def limit_events(events: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The mediation limit's warnings and expiry, and the dispute's end, as (type, detail)."""
    out = []
    for e in events:
        payload = e["payload"]
        if e["event_type"] in ("deadline.warning", "deadline.expired"):
            if payload["clock"] == "mediation_limit":
                out.append((e["event_type"], payload.get("days_left", payload["due_on"])))
        elif e["event_type"] == "mediation.expired":
            out.append((e["event_type"], payload.get("state")))
    return out


async def test_j5_runs_out_on_the_training_clock_each_timer_once(
    mediation: Mediation, redis_url: str
):
    case_id, _ = await mediation.file(platform_worker=True, dispute_type="penalty_deduction")
    await mediation.ok(case_id, "accept", COMMITTEE)
    replica = mediation.replica()  # a second mediation replica on the same database
    by_day: dict[int, list[tuple[str, Any]]] = {}
    seen = 0
    for day in range(1, 17):
        state = await advance(mediation, days=1)
        assert state["offset_days"] == day
        assert state["today"] == (NOW + timedelta(days=day)).date().isoformat()
        await mediation.scheduler.run_once()
        await replica.run_once()
        events = await mediation.events(case_id)
        fresh = limit_events(events[seen:])
        seen = len(events)
        if fresh:
            by_day[day] = fresh
    assert by_day == {
        10: [("deadline.warning", 5)],
        13: [("deadline.warning", 2)],
        16: [
            ("deadline.expired", "2026-12-16"),
            ("mediation.expired", "expired_no_agreement"),
        ],
    }, "day 15 (12-16) runs to its end; the expiry is seen the next morning"
    assert (await mediation.get(case_id))["state"] == "expired_no_agreement"
    before = await mediation.events(case_id)
    # Advancing again, on both replicas: nothing fires twice.
    await advance(mediation, days=20, hours=3)
    assert await mediation.scheduler.run_once() == 0
    assert await replica.run_once() == 0
    assert await mediation.events(case_id) == before
    # The event stamps follow the training clock (the timeline shows day 16, not today).
    expired = next(e for e in before if e["event_type"] == "deadline.expired")
    assert expired["occurred_at"].startswith("2026-12-17")
    # Another service (its own process, the same Redis) reads the same offset.
    redis = Redis.from_url(redis_url)
    try:
        other = TrainingClock(FrozenClock(NOW))
        await other.sync(redis)
        assert other.offset == timedelta(days=36, hours=3)
        assert int(await redis.get(KEY)) == (36 * 24 + 3) * 3600
    finally:
        await redis.aclose()


async def test_only_an_admin_moves_the_clock_staff_read_it(mediation: Mediation):
    for role in ("committee", "mediator", "intake_officer"):
        answer = await mediation.client.post(
            "/api/v1/admin/clock/advance", json={"days": 1}, headers=auth_headers(role, "x")
        )
        assert answer.status_code == 403, role
    anonymous = await mediation.client.post(
        "/api/v1/admin/clock/advance", json={"days": 1}, headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401
    for body, field in (({"days": -1}, "days"), ({}, "days"), ({"hours": 24}, "hours")):
        answer = await mediation.client.post(
            "/api/v1/admin/clock/advance", json=body, headers=ADMIN
        )
        assert answer.status_code == 422, body
        assert [e["field"] for e in answer.json()["errors"]] == [field]
    reporter = auth_headers("reporter", "p-1")
    assert (await mediation.client.get("/api/v1/admin/clock", headers=reporter)).status_code == 403
    shown = await mediation.client.get("/api/v1/admin/clock", headers=COMMITTEE)
    assert shown.status_code == 200
    assert shown.json()["offset_seconds"] == 0
    assert shown.json()["now_written"] == "2026年12月1日 10:00"


async def _following(replicas: list[Any], offset: timedelta) -> None:
    """Wait (with a deadline) until every replica's own sync loop has taken the offset."""
    for _ in range(200):
        if all(r.app.state.context.clock.offset == offset for r in replicas):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"replicas did not follow the shared offset {offset}")


async def test_dispatch_escalates_and_closes_on_the_shared_clock_each_once(
    database_url: str, redis_url: str
):
    clock = FrozenClock(START)
    quick = {"training_clock": True, "training_clock_sync_seconds": 0.02}
    a = await Dispatch(database_url, redis_url, clock, **quick).__aenter__()
    b = await Dispatch(database_url, redis_url, clock, **quick).__aenter__()
    redis = Redis.from_url(redis_url)
    try:
        filed = case_filed("fire_lane_blocked", "xujing")  # acknowledge 2 h, resolve 1 day
        assert await a.feed(filed)
        case_id = filed.case_id
        # Another service's admin moves the clock (the shared key); dispatch follows it.
        total = timedelta(0)
        for step in (timedelta(hours=3), timedelta(hours=3), timedelta(days=3)):
            total = await shared_advance(redis, step)
            await _following([a, b], total)
            await asyncio.gather(a.tick(), b.tick())
            await asyncio.gather(a.tick(), b.tick())
        alerts = Counter(
            (e.event_type, e.payload["target"], e.payload.get("level", 0))
            for e in await a.emitted(case_id)
            if e.event_type in ("hazard.target_warning", "hazard.escalated")
        )
        assert alerts == Counter(
            {
                ("hazard.target_warning", "acknowledge", 0): 1,
                ("hazard.escalated", "acknowledge", 1): 1,
                ("hazard.escalated", "acknowledge", 2): 1,
                ("hazard.target_warning", "resolve", 0): 1,
                ("hazard.escalated", "resolve", 1): 1,
                ("hazard.escalated", "resolve", 2): 1,
            }
        )
        department = (await a.get(case_id))["department_id"]
        assert (await a.post(case_id, "acknowledge", dept(department))).status_code == 200
        resolved = await a.post(case_id, "resolve", dept(department), {"note": "已清理通道"})
        assert resolved.status_code == 200
        # The reporter stays silent: the 7-day confirmation window runs out on the moved clock.
        for step in (timedelta(days=8), timedelta(days=30)):
            total = await shared_advance(redis, step)
            await _following([a, b], total)
            await asyncio.gather(a.tick(), b.tick())
        events = await a.emitted(case_id)
        closed = [e.payload["resolution"] for e in events if e.event_type == "hazard.closed"]
        assert closed == ["resolved_unconfirmed"]
        assert (await a.get(case_id))["state"] == "closed"
        assert [e.event_type for e in events] == [e.event_type for e in await b.emitted(case_id)]
        stamp = next(e for e in events if e.event_type == "hazard.closed").occurred_at
        assert stamp >= START + timedelta(days=3, hours=6, weeks=1)  # the moved time
    finally:
        await redis.aclose()
        await a.__aexit__()
        await b.__aexit__()
