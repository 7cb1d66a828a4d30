"""Intake's case use cases on a fake unit of work, in memory, no I/O:
the reporter's answer and a department's posted update.

The same flows run against PostgreSQL and Redis in tests/integration/test_intake_*.py and
test_open311_conformance.py; these check the use cases' wiring (load, aggregate, save, outbox,
timeline) in milliseconds.
"""

from __future__ import annotations

import pytest

from services.intake.domain.commands import AnswerFix, DepartmentUpdateIn
from services.intake.domain.errors import Conflict
from services.intake.service_layer import tracking, updates
from tests.unit.intake.case_world import START, World


async def test_a_follower_answers_on_the_original_under_their_own_reporter_id():
    w = World()
    original = w.filed(status="resolved")
    duplicate = w.filed(status="duplicate", duplicate_of=original)
    w.party(duplicate, "reporter", "p-7")
    code = w.case(duplicate).tracking_code
    events = await w.act(tracking.answer_fix, code, AnswerFix(fixed=True), w.clock)
    assert events == ["reporter.confirmed_fixed"]
    assert w.uow.outbox[0].case_id == original and w.uow.outbox[0].actor.id == "p-7"
    assert w.repo.timeline_of(original) == ["reporter.confirmed_fixed"]


async def test_a_department_update_is_recorded_once_with_its_event():
    w = World()
    case_id = w.filed(status="dispatched", department_id="d-roads")
    cmd = DepartmentUpdateIn(
        service_request_id=str(case_id),
        update_id="u-1",
        status="FIXED",
        updated_datetime=START,
        description="已修复",
    )
    events = await w.act(updates.post_update, cmd, "d-roads", w.clock)
    assert events == ["department.update_posted"]
    posted = w.repo.updates[("d-roads", "u-1")]
    assert (posted.status, posted.action, posted.event_id) == (
        "fixed",
        "resolve",
        w.uow.outbox[0].event_id,
    )
    assert await w.act(updates.post_update, cmd, "d-roads", w.clock) == []
    with pytest.raises(Conflict):
        await w.act(
            updates.post_update, cmd.model_copy(update={"description": "改"}), "d-roads", w.clock
        )
