"""Intake's case use cases on a fake unit of work, in memory, no I/O:
an officer's corrections and splits.

The same flows run against PostgreSQL and Redis in tests/integration/test_intake_*.py and
test_open311_conformance.py; these check the use cases' wiring (load, aggregate, save, outbox,
timeline) in milliseconds.
"""

from __future__ import annotations

import uuid

import pytest

from services.intake.domain.commands import CorrectCase, SplitCase
from services.intake.domain.errors import Conflict, NotFound
from services.intake.service_layer import corrections
from tests.unit.intake.case_world import OFFICER, START, World


async def test_correcting_a_hazard_queues_case_corrected_and_records_it():
    w = World()
    case_id = w.filed()
    cmd = CorrectCase(category="manhole_cover", reason="类别选错")
    events = await w.act(corrections.correct_case, case_id, cmd, OFFICER, w.ctx)
    assert events == ["case.corrected"]
    assert (w.case(case_id).category, w.case(case_id).title) == (
        "manhole_cover",
        "窨井盖缺失或破损：赵巷镇",
    )
    assert w.repo.timeline_of(case_id) == ["case.corrected"]
    assert w.uow.outbox[0].occurred_at == START


async def test_a_failed_correction_saves_nothing_and_commits_nothing():
    w = World()
    case_id = w.filed(status="closed")
    with pytest.raises(Conflict):
        await w.act(
            corrections.correct_case,
            case_id,
            CorrectCase(category="manhole_cover", reason="x"),
            OFFICER,
            w.ctx,
        )
    with pytest.raises(NotFound):
        await w.act(
            corrections.correct_case,
            uuid.uuid4(),
            CorrectCase(category="manhole_cover", reason="x"),
            OFFICER,
            w.ctx,
        )
    assert w.case(case_id).category == "road_damage" and w.uow.outbox == []


async def test_splitting_a_merge_drops_the_follower_on_the_original():
    w = World()
    original = w.filed()
    duplicate = w.filed(status="duplicate", duplicate_of=original)
    w.party(duplicate, "reporter", "p-7")
    w.party(original, "follower", "p-7")
    events = await w.act(
        corrections.split_case, duplicate, SplitCase(reason="不是同一处"), OFFICER, w.ctx
    )
    assert events == ["case.unmerged"]
    assert w.case(duplicate).duplicate_of is None and w.case(duplicate).status == "filed"
    assert [p.role for p in await w.repo.parties_of(original)] == []
