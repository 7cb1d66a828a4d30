"""A moved mediation session is announced as a change (#19.6): `session.rescheduled` with the
old and the new time and place and the reason; a reschedule without a reason, or one that
changes nothing, is refused naming the field, and nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import Mediation, mediator, running_mediation

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as service:
        yield service


async def test_a_reschedule_is_announced_with_the_old_and_new_time_and_the_reason(
    mediation: Mediation,
):
    case_id, dispute = await mediation.in_mediation()
    me = mediator(dispute["mediator_id"])
    first = MONDAY + timedelta(days=3)
    session = await mediation.ok(
        case_id, "sessions", me, {"starts_at": first.isoformat(), "place": "华新镇卡友驿站调解室"}
    )
    path = f"sessions/{session['session_id']}/reschedule"
    later = MONDAY + timedelta(days=5, hours=4)

    no_reason = await mediation.post(case_id, path, me, {"starts_at": later.isoformat()})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.text
    same = await mediation.post(
        case_id, path, me, {"starts_at": first.isoformat(), "reason": "再确认一次"}
    )
    assert same.status_code == 422
    assert same.json()["detail"]["errors"] == [{"field": "starts_at"}]
    assert (await mediation.event_types(case_id))[-1] == "session.scheduled"  # nothing stored

    moved = await mediation.ok(
        case_id,
        path,
        me,
        {"starts_at": later.isoformat(), "place": "赵巷镇司法所", "reason": "申请人需出车"},
    )
    assert moved["reschedules"] == 1
    event = (await mediation.events(case_id))[-1]
    assert event["event_type"] == "session.rescheduled"
    payload = event["payload"]
    assert datetime.fromisoformat(payload["previous_starts_at"]) == first
    assert datetime.fromisoformat(payload["starts_at"]) == later
    assert (payload["previous_place"], payload["place"]) == ("华新镇卡友驿站调解室", "赵巷镇司法所")
    assert payload["reason"] == "申请人需出车"
    assert payload["session_id"] == session["session_id"]
    assert dispute["mediator_id"] in payload["attendees"]
    # only the first arrangement is a session.scheduled; the move is never told as a new one
    assert (await mediation.event_types(case_id)).count("session.scheduled") == 1
