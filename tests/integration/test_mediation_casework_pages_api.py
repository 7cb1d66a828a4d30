"""What the mediator's and the committee's pages stand on, over HTTP on real databases: a
mediator's own caseload, the steps each caller may take now, and the committee's reassignment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import (
    COMMITTEE,
    SUDA,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as service:
        yield service


async def test_a_mediator_lists_their_own_disputes_with_the_nearest_clock(mediation: Mediation):
    case_id, dispute = await mediation.accepted()
    mine = mediator(dispute["mediator_id"])
    listed = await mediation.client.get("/api/v1/mediator/disputes", headers=mine)
    assert listed.status_code == 200, listed.text
    row = next(r for r in listed.json() if r["case_id"] == str(case_id))
    assert row["state"] == "assigned" and row["mine"] is True
    assert row["next_clock"] == "mediation_limit" and row["next_due_on"] == "2026-03-17"
    other = "med-zhou" if dispute["mediator_id"] != "med-zhou" else "med-liu"
    theirs = await mediation.client.get("/api/v1/mediator/disputes", headers=mediator(other))
    assert all(r["case_id"] != str(case_id) for r in theirs.json())
    refused = await mediation.client.get("/api/v1/mediator/disputes", headers=COMMITTEE)
    assert refused.status_code == 403


async def test_the_dispute_names_the_steps_its_caller_may_take_now(mediation: Mediation):
    case_id, dispute = await mediation.accepted()
    mine = mediator(dispute["mediator_id"])
    assert dispute["allowed_actions"] == ["start", "schedule_session", "reassign", "grant"]
    as_mediator = (await mediation.client.get(f"/api/v1/disputes/{case_id}", headers=mine)).json()
    assert as_mediator["allowed_actions"] == ["start", "schedule_session"]
    started = await mediation.ok(case_id, "start", mine)
    assert "sign_agreement" in started["allowed_actions"]
    assert "start" not in started["allowed_actions"]


async def test_the_committee_reassigns_to_an_active_mediator_and_says_why_it_may_not(
    mediation: Mediation,
):
    case_id, dispute = await mediation.accepted(respondents=(("速达快递有限公司", SUDA),))
    before = dispute["mediator_id"]
    target = "med-zhou" if before != "med-zhou" else "med-liu"
    refused = await mediation.post(
        case_id, "reassign", mediator(before), {"mediator_id": target, "reason": "x"}
    )
    assert refused.status_code == 403
    unknown = await mediation.post(
        case_id, "reassign", COMMITTEE, {"mediator_id": "med-nobody", "reason": "工作量"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["errors"] == [{"field": "mediator_id"}]
    tied = await mediation.post(
        case_id, "reassign", COMMITTEE, {"mediator_id": "med-sun", "reason": "工作量"}
    )
    assert tied.status_code == 409  # tied to the respondent
    same = await mediation.post(
        case_id, "reassign", COMMITTEE, {"mediator_id": before, "reason": "x"}
    )
    assert same.status_code == 409
    moved = await mediation.ok(
        case_id, "reassign", COMMITTEE, {"mediator_id": target, "reason": "工作量"}
    )
    assert moved["mediator_id"] == target
    assert (await mediation.event_types(case_id))[-1] == "mediator.reassigned"
    assert (await mediation.post(case_id, "start", mediator(before))).status_code == 403
    assert (await mediation.post(case_id, "start", mediator(target))).status_code == 200
