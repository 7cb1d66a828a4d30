"""A ticket taken back from its department (#19.6): a correction re-dispatches under the new
category's title and the former department is told (`hazard.withdrawn`) and loses it from its
queue; an officer moving a routed ticket tells it too; "not ours" naming a department that does
not exist is refused, naming the field, and nothing changes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import (
    OFFICER,
    START,
    Dispatch,
    case_filed,
    corrected,
    dept,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _routed(dispatch: Dispatch, category: str, town: str) -> uuid.UUID:
    filed = case_filed(category, town)
    assert await dispatch.feed(filed)
    return filed.case_id


async def _queue(dispatch: Dispatch, department_id: str) -> list[str]:
    response = await dispatch.http.get("/api/v1/queue", headers=dept(department_id))
    assert response.status_code == 200, response.text
    return [h["case_id"] for h in response.json()]


async def test_a_corrected_category_goes_to_the_new_department_under_its_new_title_and_the_former_one_is_told(  # noqa: E501
    dispatch: Dispatch,
):
    case_id = await _routed(dispatch, "road_damage", "xujing")
    assert str(case_id) in await _queue(dispatch, "xujing-road")
    await dispatch.post(case_id, "acknowledge", dept("xujing-road"))
    fix = corrected(
        case_id,
        "fire_lane_blocked",
        "xujing",
        ("road_damage", "xujing"),
        title="消防通道堵塞：徐泾镇",
    )
    assert await dispatch.feed(fix)

    hazard = await dispatch.get(case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-property")
    assert hazard["title"] == "消防通道堵塞：徐泾镇"
    withdrawn, dispatched = (await dispatch.emitted(case_id))[-2:]
    assert withdrawn.event_type == "hazard.withdrawn"
    assert withdrawn.payload == {
        "state": "triaged",
        "department_id": "xujing-road",
        "department_name": withdrawn.payload["department_name"],
        "cause": "corrected",
        "reason": "定位错误",
    }
    assert withdrawn.payload["department_name"]  # the department is named for the notice
    assert withdrawn.causation_id == fix.event_id
    assert dispatched.event_type == "hazard.dispatched"
    assert dispatched.payload["title"] == "消防通道堵塞：徐泾镇"
    assert dispatched.payload["rerouted_from"] == "xujing-road"

    # the former department's queue no longer holds it, and it can no longer read or act on it
    assert str(case_id) not in await _queue(dispatch, "xujing-road")
    assert str(case_id) in await _queue(dispatch, "xujing-property")
    read = await dispatch.http.get(f"/api/v1/hazards/{case_id}", headers=dept("xujing-road"))
    assert read.status_code == 403
    late = await dispatch.post(case_id, "resolve", dept("xujing-road"), {"note": "已修"})
    assert late.status_code == 403


async def test_a_correction_nobody_covers_takes_it_back_to_triage_and_still_tells_the_department(
    dispatch: Dispatch,
):
    case_id = await _routed(dispatch, "road_damage", "zhaoxiang")
    fix = corrected(case_id, "not_a_category", "zhaoxiang", ("road_damage", "zhaoxiang"))
    assert await dispatch.feed(fix)
    hazard = await dispatch.get(case_id)
    assert hazard["state"] == "triaged"
    assert hazard["department_id"] is None
    assert hazard["title"] == "人行道窨井盖缺失"  # no new title given: the old one stays
    types = await dispatch.types(case_id)
    assert types[-1] == "hazard.withdrawn"
    assert "hazard.dispatched" not in types[types.index("hazard.withdrawn") :]
    assert str(case_id) not in await _queue(dispatch, "zhaoxiang-road")
    triage = await dispatch.http.get("/api/v1/triage", headers=OFFICER)
    assert str(case_id) in [h["case_id"] for h in triage.json()]


async def test_a_correction_the_same_department_keeps_withdraws_nothing(dispatch: Dispatch):
    case_id = await _routed(dispatch, "road_damage", "zhaoxiang")
    same = corrected(
        case_id, "manhole_cover", "zhaoxiang", ("road_damage", "zhaoxiang"), title="窨井盖：赵巷镇"
    )
    assert await dispatch.feed(same)
    hazard = await dispatch.get(case_id)
    assert (hazard["department_id"], hazard["title"]) == ("zhaoxiang-road", "窨井盖：赵巷镇")
    assert "hazard.withdrawn" not in await dispatch.types(case_id)


async def test_an_officer_moving_a_routed_ticket_tells_the_department_it_leaves(
    dispatch: Dispatch,
):
    case_id = await _routed(dispatch, "road_damage", "zhaoxiang")
    moved = await dispatch.post(case_id, "route", OFFICER, {"department_id": "district-urban"})
    assert moved.status_code == 200, moved.text
    withdrawn, dispatched = (await dispatch.emitted(case_id))[-2:]
    assert (withdrawn.event_type, withdrawn.payload["cause"]) == ("hazard.withdrawn", "moved")
    assert withdrawn.payload["department_id"] == "zhaoxiang-road"
    assert dispatched.payload["department_id"] == "district-urban"
    assert str(case_id) not in await _queue(dispatch, "zhaoxiang-road")


async def test_not_ours_naming_a_department_that_does_not_exist_is_refused_and_nothing_moves(
    dispatch: Dispatch,
):
    case_id = await _routed(dispatch, "fire_lane_blocked", "xujing")
    before = await dispatch.types(case_id)
    refused = await dispatch.post(
        case_id,
        "decline",
        dept("xujing-property"),
        {"reason": "该通道属市政道路", "department_id": "no-such-office"},
    )
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail["field"] == "department_id"
    assert detail["message"].startswith("没有这个在用的部门")
    hazard = await dispatch.get(case_id)
    assert (hazard["state"], hazard["department_id"]) == ("dispatched", "xujing-property")
    assert await dispatch.types(case_id) == before
    assert str(case_id) in await _queue(dispatch, "xujing-property")
    # a supervisor is not a department a ticket can be handed to either
    supervisor = await dispatch.post(
        case_id,
        "decline",
        dept("xujing-property"),
        {"reason": "x", "department_id": "xujing-supervisor"},
    )
    assert supervisor.status_code == 422
