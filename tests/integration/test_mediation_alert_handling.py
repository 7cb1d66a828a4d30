"""Pattern alerts closed with what the committee did (J7): the note and who closed it are kept,
a second close is refused instead of overwriting them, and a mediator may not close one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import COMMITTEE, Mediation, mediator, running_mediation

pytestmark = pytest.mark.integration
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CONSULTED = "已约谈平台区域合作商及总部，召开行业协商会，约定下月起停止扣款"


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(
        database_url, redis_url, FrozenClock(NOW), pattern_threshold=3, pattern_window_days=42
    ) as service:
        yield service


async def _alert(mediation: Mediation) -> dict:
    filed = [await mediation.file(dispute_type="penalty_deduction") for _ in range(3)]
    answer = await mediation.client.get("/api/v1/committee/alerts", headers=COMMITTEE)
    [alert] = answer.json()
    # each dispute the alert names comes with its tracking code (the console links by it)
    codes = {str(case_id): e.payload["tracking_code"] for case_id, e in filed}
    assert alert["tracking_codes"] == [codes[c] for c in alert["case_ids"]]
    assert all(alert["tracking_codes"])
    return alert


async def test_closing_an_alert_keeps_what_was_done_and_who_did_it(mediation: Mediation):
    alert = await _alert(mediation)
    assert alert["status"] == "open" and alert["close_note"] == ""
    path = f"/api/v1/committee/alerts/{alert['id']}/close"
    closed = await mediation.client.post(path, headers=COMMITTEE, json={"note": f"  {CONSULTED} "})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["close_note"], body["closed_by"]) == ("closed", CONSULTED, "chair")
    assert body["closed_at"] is not None

    listed = await mediation.client.get(
        "/api/v1/committee/alerts", headers=COMMITTEE, params={"status": "closed"}
    )
    assert [(a["id"], a["close_note"]) for a in listed.json()] == [(alert["id"], CONSULTED)]
    still_open = await mediation.client.get("/api/v1/committee/alerts", headers=COMMITTEE)
    assert still_open.json() == []


async def test_a_closed_alert_is_not_closed_again_and_its_note_stays(mediation: Mediation):
    alert = await _alert(mediation)
    path = f"/api/v1/committee/alerts/{alert['id']}/close"
    assert (
        await mediation.client.post(path, headers=COMMITTEE, json={"note": CONSULTED})
    ).is_success
    again = await mediation.client.post(path, headers=COMMITTEE, json={"note": "别的"})
    assert again.status_code == 409
    assert "already closed" in again.text
    listed = await mediation.client.get(
        "/api/v1/committee/alerts", headers=COMMITTEE, params={"status": "closed"}
    )
    assert [a["close_note"] for a in listed.json()] == [CONSULTED]


async def test_closing_without_a_note_still_works_and_bad_input_is_named(mediation: Mediation):
    alert = await _alert(mediation)
    path = f"/api/v1/committee/alerts/{alert['id']}/close"
    too_long = await mediation.client.post(path, headers=COMMITTEE, json={"note": "x" * 2001})
    assert too_long.status_code == 422
    assert "note" in too_long.text
    unknown = await mediation.client.post(path, headers=COMMITTEE, json={"notes": "typo"})
    assert unknown.status_code == 422
    by_mediator = await mediation.client.post(path, headers=mediator("med-wang"), json={})
    assert by_mediator.status_code == 403
    closed = await mediation.client.post(path, headers=COMMITTEE)  # no body: older clients
    assert closed.status_code == 200 and closed.json()["close_note"] == ""
    missing = await mediation.client.post(
        "/api/v1/committee/alerts/00000000-0000-0000-0000-000000000000/close", headers=COMMITTEE
    )
    assert missing.status_code == 404
