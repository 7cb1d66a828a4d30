"""Routing and re-routing: "not ours", corrections, duplicates and their followers (J2), a
department's own system (J9), and intake's events arriving over a real Redis stream."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from faststream.redis.parser.binary import BinaryMessageFormatV1

from shared.contracts.envelope import Envelope
from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import (
    OFFICER,
    START,
    Dispatch,
    answer,
    case_filed,
    corrected,
    dept,
    merged,
    reporter,
    reporter_of,
    unmerged,
    update_posted,
)
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _filed(dispatch: Dispatch, category: str = "fire_lane_blocked", town: str = "xujing"):
    filed = case_filed(category, town)
    assert await dispatch.feed(filed)
    return filed


async def test_not_ours_with_a_named_department_goes_straight_there(dispatch: Dispatch):
    case_id = (await _filed(dispatch)).case_id
    response = await dispatch.post(
        case_id,
        "decline",
        dept("xujing-property"),
        {"reason": "该通道属市政道路", "department_id": "xujing-road"},
    )
    assert response.status_code == 200
    hazard = response.json()
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-road")
    declined, dispatched = (await dispatch.emitted(case_id))[-2:]
    assert declined.event_type == "hazard.declined"
    assert declined.payload == {
        "state": "not_responsible",
        "department_id": "xujing-property",
        "reason": "该通道属市政道路",
    }
    assert dispatched.payload["rerouted_from"] == "xujing-property"
    assert dispatched.payload["department_id"] == "xujing-road"
    assert [h["action"] for h in hazard["history"]][-2:] == ["decline", "dispatch"]


async def test_not_ours_goes_to_the_next_department_then_back_to_triage_for_an_officer(
    dispatch: Dispatch,
):
    case_id = (await _filed(dispatch)).case_id
    first = await dispatch.post(case_id, "decline", dept("xujing-property"), {"reason": "非小区"})
    assert first.json()["department_id"] == "district-urban"  # covers it district-wide
    await dispatch.post(case_id, "acknowledge", dept("district-urban"))
    second = await dispatch.post(case_id, "decline", dept("district-urban"), {"reason": "非城管"})
    assert second.json()["state"] == "not_responsible"
    assert second.json()["department_id"] == "district-urban"
    assert (await dispatch.types(case_id))[-1] == "hazard.declined"
    assert all(t["cancelled_at"] or t["fired_at"] for t in await dispatch.timers(case_id))
    triage = await dispatch.http.get("/api/v1/triage", headers=OFFICER)
    assert str(case_id) in [h["case_id"] for h in triage.json()]
    gone = await dispatch.http.get("/api/v1/queue", headers=dept("district-urban"))
    assert str(case_id) not in [h["case_id"] for h in gone.json()]

    routed = await dispatch.post(case_id, "route", OFFICER, {"department_id": "xujing-road"})
    assert routed.status_code == 200
    assert (routed.json()["state"], routed.json()["department_id"]) == ("dispatched", "xujing-road")
    bad = await dispatch.post(case_id, "route", OFFICER, {"department_id": "nobody"})
    assert bad.status_code == 404
    assert (
        await dispatch.post(case_id, "route", dept("xujing-road"), {"department_id": "xujing-road"})
    ).status_code == 403


async def test_a_correction_to_another_town_moves_the_ticket_and_the_old_office_loses_it(
    dispatch: Dispatch,
):
    case_id = (await _filed(dispatch, "road_damage", "zhaoxiang")).case_id
    await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))
    same = corrected(case_id, "manhole_cover", "zhaoxiang", ("road_damage", "zhaoxiang"))
    assert await dispatch.feed(same)  # still the road office's job: nothing moves
    assert (await dispatch.get(case_id))["state"] == "acknowledged"
    moved = corrected(case_id, "manhole_cover", "xujing", ("manhole_cover", "zhaoxiang"))
    assert await dispatch.feed(moved)
    hazard = await dispatch.get(case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-road")
    assert (hazard["category"], hazard["jurisdiction"]) == ("manhole_cover", "xujing")
    last = (await dispatch.emitted(case_id))[-1]
    assert last.payload["rerouted_from"] == "zhaoxiang-road"
    assert [h["action"] for h in hazard["history"]][-3:] == ["correct", "retriage", "dispatch"]
    late = await dispatch.post(case_id, "resolve", dept("zhaoxiang-road"), {"note": "x"})
    assert late.status_code == 403


async def test_a_duplicate_is_not_routed_and_its_reporter_follows_and_may_answer(
    dispatch: Dispatch,
):
    """J2: the second report of the blocked fire lane follows the first."""
    original = await _filed(dispatch)
    duplicate = case_filed("fire_lane_blocked", "xujing", duplicate_of=original.case_id)
    follower = reporter_of(duplicate)
    assert await dispatch.feed(duplicate)
    assert await dispatch.feed(merged(original.case_id, duplicate.case_id, follower))
    dup = await dispatch.get(duplicate.case_id)
    assert (dup["state"], dup["original_case_id"]) == ("duplicate", str(original.case_id))
    assert dup["department_id"] is None
    assert await dispatch.types(duplicate.case_id) == ["hazard.marked_duplicate"]
    assert await dispatch.timers(duplicate.case_id) == []
    seen = await dispatch.http.get(
        f"/api/v1/hazards/{original.case_id}", headers=reporter(follower)
    )
    assert seen.status_code == 200  # a follower may follow the original

    await dispatch.post(original.case_id, "acknowledge", dept("xujing-property"))
    await dispatch.post(original.case_id, "resolve", dept("xujing-property"), {"note": "已清理"})
    resolved = (await dispatch.emitted(original.case_id))[-1]
    assert resolved.payload["followers"] == [follower]
    # the follower answers on their own ticket: it counts for the original
    assert await dispatch.feed(answer(duplicate.case_id, follower, fixed=False, note="还堵着"))
    hazard = await dispatch.get(original.case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-property")
    reopened = next(
        e for e in await dispatch.emitted(original.case_id) if e.event_type == "hazard.reopened"
    )
    assert (reopened.payload["note"], reopened.payload["followers"]) == ("还堵着", [follower])
    assert reopened.actor.id == follower

    await dispatch.post(original.case_id, "acknowledge", dept("xujing-property"))
    await dispatch.post(original.case_id, "resolve", dept("xujing-property"), {"note": "已拖离"})
    assert await dispatch.feed(answer(original.case_id, reporter_of(original), fixed=True))
    closed = [
        e for e in await dispatch.emitted(original.case_id) if e.event_type == "hazard.closed"
    ]
    assert closed[0].payload["followers"] == [follower]
    points = await dispatch.http.get(
        f"/api/v1/reporters/{follower}/points", headers=reporter(follower)
    )
    assert points.json()["balance"] == 0  # a duplicate earns nothing
    first = reporter_of(original)
    assert (
        await dispatch.http.get(f"/api/v1/reporters/{first}/points", headers=reporter(first))
    ).json()["balance"] == 20


async def test_a_late_merge_stops_the_routed_duplicate_and_an_unmerge_routes_it_again(
    dispatch: Dispatch,
):
    original = await _filed(dispatch)
    second = await _filed(dispatch)  # routed on its own first
    follower = reporter_of(second)
    assert await dispatch.feed(merged(original.case_id, second.case_id, follower))
    hazard = await dispatch.get(second.case_id)
    assert hazard["state"] == "duplicate"
    assert (await dispatch.types(second.case_id))[-1] == "hazard.marked_duplicate"
    assert all(t["cancelled_at"] is not None for t in await dispatch.timers(second.case_id))

    assert await dispatch.feed(unmerged(second.case_id, original.case_id, follower))
    hazard = await dispatch.get(second.case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-property")
    assert hazard["original_case_id"] is None
    await dispatch.post(original.case_id, "acknowledge", dept("xujing-property"))
    await dispatch.post(original.case_id, "resolve", dept("xujing-property"), {"note": "ok"})
    assert (await dispatch.emitted(original.case_id))[-1].payload["followers"] == []


async def test_a_departments_own_system_drives_the_state_once_per_update_id(dispatch: Dispatch):
    """J9: the road office's work-order system posts Open311 updates."""
    case_id = (await _filed(dispatch, "road_damage", "zhaoxiang")).case_id
    progress = update_posted(case_id, "zhaoxiang-road", "WO-1", "progress", "已派工")
    assert await dispatch.feed(progress)
    assert (await dispatch.get(case_id))["state"] == "in_progress"  # acknowledged on the way
    assert await dispatch.feed(
        update_posted(case_id, "zhaoxiang-road", "WO-1", "progress", "已派工")
    )
    assert (await dispatch.types(case_id)).count("hazard.progress_noted") == 1
    stranger = update_posted(case_id, "xujing-road", "WO-9", "resolve", "x")
    assert await dispatch.feed(stranger)
    assert (await dispatch.get(case_id))["state"] == "in_progress"
    assert await dispatch.feed(
        update_posted(case_id, "zhaoxiang-road", "WO-2", "resolve", "已修复")
    )
    hazard = await dispatch.get(case_id)
    assert (hazard["state"], hazard["resolution_note"]) == ("resolved", "已修复")
    assert await dispatch.feed(update_posted(case_id, "zhaoxiang-road", "WO-3", "decline", "x"))
    assert (await dispatch.get(case_id))["state"] == "resolved"  # too late: recorded, ignored
    types = await dispatch.types(case_id)
    assert types == [
        "hazard.dispatched",
        "hazard.acknowledged",
        "hazard.progress_noted",
        "hazard.resolved",
    ]


async def test_intakes_events_over_the_real_stream_are_applied_once(dispatch: Dispatch):
    filed = case_filed("traffic_signal", "huaxin")
    client = aioredis.Redis.from_url(dispatch.settings.redis_url)
    try:
        for _ in range(2):  # the second is a redelivery of the same event
            await dispatch.runtime.broker.publish(filed.to_json(), stream="waystation.intake")

        async def routed() -> bool:
            response = await dispatch.http.get(f"/api/v1/hazards/{filed.case_id}", headers=OFFICER)
            return response.status_code == 200 and response.json()["state"] == "dispatched"

        await eventually_async(routed)
        hazard = await dispatch.get(filed.case_id)
        assert hazard["department_id"] == "district-traffic-police"

        async def published() -> bool:
            entries = await client.xrange("waystation.dispatch")
            return any(str(filed.case_id).encode() in f.get(b"__data__", b"") for _, f in entries)

        await eventually_async(published)
        entries = await client.xrange("waystation.dispatch")
        ours = [
            Envelope.model_validate_json(BinaryMessageFormatV1.parse(f[b"__data__"])[0])
            for _, f in entries
            if str(filed.case_id).encode() in f.get(b"__data__", b"")
        ]
        # with the nearest open station it was told about (#25), once each
        assert [e.event_type for e in ours] == ["hazard.dispatched", "station.suggested"]
        assert [e.sequence for e in ours] == [1, 2]
    finally:
        await client.aclose()
