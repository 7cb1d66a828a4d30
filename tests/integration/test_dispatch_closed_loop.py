"""The hazard's way from filing to a confirmed fix (J1), the reporter's "no" (J2), silence,
illegal moves, cancellation and the department's queue — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import (
    OFFICER,
    START,
    Dispatch,
    answer,
    case_filed,
    dept,
    reporter,
    reporter_of,
)

pytestmark = pytest.mark.integration


def _utc(at: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they are stored in UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _dispatched(dispatch: Dispatch, category: str = "manhole_cover", town: str = "zhaoxiang"):
    filed = case_filed(category, town)
    assert await dispatch.feed(filed)
    return filed.case_id, reporter_of(filed)


async def _resolved(dispatch: Dispatch, department: str = "zhaoxiang-road", **kw: str):
    case_id, party = await _dispatched(dispatch, **kw)
    assert (await dispatch.post(case_id, "acknowledge", dept(department))).status_code == 200
    body = {"note": "已补装新井盖", "photo_url": "https://files.example.cn/fix.jpg"}
    assert (await dispatch.post(case_id, "resolve", dept(department), body)).status_code == 200
    return case_id, party


async def test_a_filed_hazard_goes_to_the_towns_road_office_with_due_times_of_its_category(
    dispatch: Dispatch,
):
    case_id, _ = await _dispatched(dispatch)
    hazard = await dispatch.get(case_id)
    assert hazard["state"] == "dispatched"
    assert hazard["department_id"] == "zhaoxiang-road"
    assert [h["action"] for h in hazard["history"]] == ["triage", "dispatch"]
    assert [h["seq"] for h in hazard["history"]] == [1, 2]  # the API's name for `position`
    [event] = await dispatch.emitted(case_id)
    assert event.event_type == "hazard.dispatched"
    assert event.payload["state"] == "dispatched"
    assert event.payload["department_name"] == "赵巷镇道路养护所"
    # manhole_cover: acknowledge within 1 hour, resolve within 1 day (the directory file)
    assert event.payload["acknowledge_due"] == (START + timedelta(hours=1)).isoformat().replace(
        "+00:00", "Z"
    )
    assert hazard["resolve_due"].startswith((START + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))


async def test_a_confirmed_fix_closes_the_ticket_and_credits_the_reporter_once(dispatch: Dispatch):
    case_id, party = await _resolved(dispatch)
    resolved = (await dispatch.emitted(case_id))[-1]
    assert resolved.event_type == "hazard.resolved"
    assert resolved.payload["photo_url"] == "https://files.example.cn/fix.jpg"
    assert resolved.payload["note"] == "已补装新井盖"
    assert resolved.payload["confirm_by"] is not None

    yes = answer(case_id, party, fixed=True, note="修好了")
    assert await dispatch.feed(yes)
    assert not await dispatch.feed(yes)  # redelivered: nothing happens twice
    hazard = await dispatch.get(case_id)
    assert hazard["state"] == "closed"
    types = await dispatch.types(case_id)
    assert types[-3:] == ["hazard.confirmed_fixed", "hazard.closed", "points.credited"]
    closed = (await dispatch.emitted(case_id))[-2]
    assert closed.payload == {"state": "closed", "resolution": "confirmed_fixed", "followers": []}

    # a late second "yes" (a new event) is an answer to a question no longer asked
    assert await dispatch.feed(answer(case_id, party, fixed=True))
    assert (await dispatch.types(case_id)).count("points.credited") == 1

    points = await dispatch.http.get(f"/api/v1/reporters/{party}/points", headers=reporter(party))
    assert points.status_code == 200
    assert points.json()["balance"] == 20  # manhole_cover earns 20 in the demo directory
    assert [e["case_id"] for e in points.json()["history"]] == [str(case_id)]
    other = await dispatch.http.get(f"/api/v1/reporters/{party}/points", headers=reporter("x"))
    assert other.status_code == 403


async def test_not_fixed_reopens_and_goes_back_to_the_same_department_with_new_due_times(
    dispatch: Dispatch,
):
    case_id, party = await _resolved(
        dispatch, "xujing-property", category="fire_lane_blocked", town="xujing"
    )
    first_due = (await dispatch.get(case_id))["resolve_due"]
    dispatch.clock.advance(timedelta(hours=3))
    assert await dispatch.feed(answer(case_id, party, fixed=False, note="车还堵在通道里"))
    hazard = await dispatch.get(case_id)
    assert hazard["state"] == "dispatched"
    assert hazard["department_id"] == "xujing-property"
    assert hazard["resolve_due"] != first_due
    actions = [h["action"] for h in hazard["history"]][-3:]
    assert actions == ["report_not_fixed", "reopen", "dispatch"]
    reopened, redispatched = (await dispatch.emitted(case_id))[-2:]
    assert reopened.event_type == "hazard.reopened"
    assert reopened.payload["note"] == "车还堵在通道里"
    assert reopened.payload["department_id"] == "xujing-property"
    assert redispatched.event_type == "hazard.dispatched"
    assert redispatched.payload["acknowledge_due"].startswith("2026-12-01T08:40")
    pending = [t for t in await dispatch.timers(case_id) if t["cancelled_at"] is None]
    assert {t["kind"] for t in pending} >= {"acknowledge.warning", "resolve.escalation.1"}
    reopened_at = START + timedelta(hours=3)
    assert all(_utc(t["due_at"]) > reopened_at for t in pending)  # only the new due times
    cancelled = [t for t in await dispatch.timers(case_id) if t["cancelled_at"] is not None]
    assert {t["kind"] for t in cancelled} >= {"confirmation.window", "acknowledge.warning"}


async def test_no_answer_within_the_window_closes_it_as_resolved_unconfirmed(dispatch: Dispatch):
    case_id, party = await _resolved(dispatch)
    dispatch.clock.advance(timedelta(days=7) - timedelta(minutes=1))
    await dispatch.tick()
    assert (await dispatch.get(case_id))["state"] == "resolved"
    dispatch.clock.advance(timedelta(minutes=1))
    await dispatch.tick()
    hazard = await dispatch.get(case_id)
    assert hazard["state"] == "closed"
    closed = [e for e in await dispatch.emitted(case_id) if e.event_type == "hazard.closed"]
    assert [e.payload["resolution"] for e in closed] == ["resolved_unconfirmed"]
    assert "points.credited" in await dispatch.types(case_id)
    # the answer that comes too late changes nothing
    assert await dispatch.feed(answer(case_id, party, fixed=False))
    assert (await dispatch.get(case_id))["state"] == "closed"


async def test_illegal_moves_are_409_naming_the_state_and_wrong_callers_are_403(
    dispatch: Dispatch,
):
    case_id, party = await _dispatched(dispatch)
    early = await dispatch.post(case_id, "resolve", dept("zhaoxiang-road"), {"note": "x"})
    assert early.status_code == 409
    assert early.json()["detail"]["state"] == "dispatched"
    assert (await dispatch.post(case_id, "acknowledge", dept("xujing-road"))).status_code == 403
    assert (await dispatch.post(case_id, "acknowledge", reporter(party))).status_code == 403
    assert (
        await dispatch.post(case_id, "progress", dept("zhaoxiang-road"), {"note": "x"})
    ).status_code == 409
    assert (await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))).status_code == 200
    again = await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))
    assert again.status_code == 409
    assert again.json()["detail"]["state"] == "acknowledged"
    missing = await dispatch.post(uuid.uuid4(), "acknowledge", dept("zhaoxiang-road"))
    assert missing.status_code == 404
    blank = await dispatch.post(case_id, "resolve", dept("zhaoxiang-road"), {"note": ""})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "note"
    seen_by = await dispatch.http.get(f"/api/v1/hazards/{case_id}", headers=dept("xujing-road"))
    assert seen_by.status_code == 403
    assert (
        await dispatch.http.get(f"/api/v1/hazards/{case_id}", headers=reporter(party))
    ).status_code == 200
    assert (
        await dispatch.http.get(f"/api/v1/hazards/{case_id}", headers=reporter("z"))
    ).status_code == 403


async def test_progress_notes_move_it_in_progress_and_are_announced(dispatch: Dispatch):
    case_id, _ = await _dispatched(dispatch)
    await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))
    for note in ("已设置围挡", "新井盖明早到货"):
        response = await dispatch.post(case_id, "progress", dept("zhaoxiang-road"), {"note": note})
        assert response.status_code == 200
        assert response.json()["state"] == "in_progress"
    notes = [
        e.payload["note"]
        for e in await dispatch.emitted(case_id)
        if e.event_type == "hazard.progress_noted"
    ]
    assert notes == ["已设置围挡", "新井盖明早到货"]
    resolved = await dispatch.post(case_id, "resolve", dept("zhaoxiang-road"), {"note": "已修复"})
    assert resolved.json()["state"] == "resolved"


async def test_the_reporter_may_withdraw_an_open_report_and_earns_nothing(dispatch: Dispatch):
    case_id, party = await _dispatched(dispatch)
    assert (
        await dispatch.post(case_id, "cancel", reporter("someone"), {"reason": "x"})
    ).status_code == 403
    done = await dispatch.post(case_id, "cancel", reporter(party), {"reason": "已自行处理"})
    assert done.status_code == 200
    assert done.json()["state"] == "cancelled"
    assert (await dispatch.types(case_id))[-1] == "hazard.cancelled"
    assert all(t["cancelled_at"] is not None for t in await dispatch.timers(case_id))
    assert (await dispatch.post(case_id, "cancel", OFFICER, {"reason": "x"})).status_code == 409
    dispatch.clock.advance(timedelta(days=30))
    assert await dispatch.tick() == 0
    points = await dispatch.http.get(f"/api/v1/reporters/{party}/points", headers=reporter(party))
    assert points.json() == {"reporter_id": party, "balance": 0, "history": []}


async def test_a_departments_queue_holds_only_its_open_tickets_overdue_first(dispatch: Dispatch):
    road_damage, _ = await _dispatched(dispatch, "road_damage")  # acknowledge within 8 h
    dispatch.clock.advance(timedelta(minutes=30))
    manhole, _ = await _dispatched(dispatch, "manhole_cover")  # acknowledge within 1 h
    elsewhere, _ = await _dispatched(dispatch, "manhole_cover", "xujing")
    dispatch.clock.advance(timedelta(hours=2))
    queue = await dispatch.http.get("/api/v1/queue", headers=dept("zhaoxiang-road"))
    assert queue.status_code == 200
    assert [h["case_id"] for h in queue.json()] == [str(manhole), str(road_damage)]
    assert [h["overdue"] for h in queue.json()] == [True, False]
    overdue = await dispatch.http.get(
        "/api/v1/queue", headers=dept("zhaoxiang-road"), params={"overdue": "true"}
    )
    assert [h["case_id"] for h in overdue.json()] == [str(manhole)]
    by_category = await dispatch.http.get(
        "/api/v1/queue", headers=dept("zhaoxiang-road"), params={"category": "road_damage"}
    )
    assert [h["case_id"] for h in by_category.json()] == [str(road_damage)]
    assert str(elsewhere) not in {h["case_id"] for h in queue.json()}
    assert (await dispatch.http.get("/api/v1/queue", headers=OFFICER)).status_code == 403
