"""The supervisor a hazard escalates to reads it, finds it in its queue and presses the
department; before the escalation, and for any other supervisor, it stays closed (403)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.platform.clock import FrozenClock
from tests.auth import OFFICER
from tests.integration.dispatch_harness import START, Dispatch, case_filed, dept

pytestmark = pytest.mark.integration


async def test_the_supervisor_of_an_escalation_reads_queues_and_urges_it(
    database_url: str, redis_url: str
):
    clock = FrozenClock(START)
    async with Dispatch(database_url, redis_url, clock) as d:
        filed = case_filed("fire_lane_blocked", "xujing")  # acknowledge within 2 h
        assert await d.feed(filed)
        case_id = filed.case_id
        town, district = dept("xujing-supervisor"), dept("district-supervisor")

        # Not escalated yet: the town supervisor may not open it and its queue is empty.
        assert (await d.http.get(f"/api/v1/hazards/{case_id}", headers=town)).status_code == 403
        assert (await d.http.get("/api/v1/supervision", headers=town)).json() == []

        clock.set(START + timedelta(hours=2, minutes=1))  # the acknowledge target passed
        await d.tick()
        assert "hazard.escalated" in await d.types(case_id)

        read = await d.http.get(f"/api/v1/hazards/{case_id}", headers=town)
        assert read.status_code == 200, read.text
        assert read.json()["department_id"] == "xujing-property"
        # The tracking code is the reporter's credential: departments read the reference.
        code = filed.payload["tracking_code"]
        assert code not in read.text
        assert read.json()["tracking_code"] == "#" + case_id.hex[:8].upper()
        staff = await d.http.get(f"/api/v1/hazards/{case_id}", headers=OFFICER)
        assert staff.json()["tracking_code"] == code
        queue = (await d.http.get("/api/v1/supervision", headers=town)).json()
        assert [(h["case_id"], h["escalation_level"]) for h in queue] == [(str(case_id), 1)]
        assert queue[0]["overdue"] is True

        # The district is next in the chain, not yet reached: still closed to it.
        assert (await d.http.get(f"/api/v1/hazards/{case_id}", headers=district)).status_code == 403
        refused = await d.post(case_id, "urge", district, {"note": "请尽快处理"})
        assert refused.status_code == 403
        # The department itself cannot press itself.
        own = await d.post(case_id, "urge", dept("xujing-property"), {"note": "自己督办"})
        assert own.status_code == 403
        blank = await d.post(case_id, "urge", town, {"note": ""})
        assert blank.status_code == 422

        urged = await d.post(case_id, "urge", town, {"note": "请今天内清理消防通道"})
        assert urged.status_code == 200, urged.text
        assert ("urge", "请今天内清理消防通道") in [
            (h["action"], h["note"]) for h in urged.json()["history"]
        ]
        events = [e for e in await d.emitted(case_id) if e.event_type == "hazard.urged"]
        assert len(events) == 1
        payload = events[0].payload
        assert payload["department_id"] == "xujing-property"
        assert payload["supervisor_id"] == "xujing-supervisor"
        assert payload["note"] == "请今天内清理消防通道"
        # The supervisor acts on the state only through its department: it cannot resolve.
        resolved = await d.post(case_id, "resolve", town, {"note": "已处理"})
        assert resolved.status_code == 403
