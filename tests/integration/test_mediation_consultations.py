"""J7 → J10: from a pattern alert the committee opens an industry consultation with the
platform's headquarters; the agreed rule change and the disputes of that pattern month by month
before and after it (every respondent counts), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.mediation_harness import COMMITTEE, Mediation, running_mediation

pytestmark = pytest.mark.integration
NOW = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
PLATFORM = ("青浦快送平台有限公司", "91310118MA1JL0TEST")
PARTNER = ("青浦快送区域合作商", "91310118MA1JL0PART")


@pytest.fixture
async def mediation(database_url: str, redis_url: str):  # type: ignore[no-untyped-def]
    async with running_mediation(
        database_url, redis_url, FrozenClock(NOW), pattern_threshold=5, pattern_window_days=42
    ) as service:
        yield service


async def _call(mediation: Mediation, method: str, path: str, body: Any = None) -> Any:
    response = await mediation.client.request(
        method, f"/api/v1/{path}", headers=COMMITTEE, json=body
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_a_consultation_from_the_alert_and_the_disputes_before_and_after_the_change(
    mediation: Mediation,
):
    # five, four, six disputes over the deduction in Dec, Jan, Feb; one, zero, zero after
    plan = {(2025, 12): 5, (2026, 1): 4, (2026, 2): 6, (2026, 3): 1}
    for (year, month), n in plan.items():
        for day in range(n):
            # the partner first and the platform second on every other case: both count
            respondents = (PARTNER, PLATFORM) if day % 2 else (PLATFORM,)
            await mediation.file(
                dispute_type="penalty_deduction",
                respondents=respondents,
                at=datetime(year, month, 3 + day, 2, 0, tzinfo=UTC),
            )
    await mediation.file(dispute_type="unpaid_wages", respondents=(PLATFORM,))  # another type
    alerts = await _call(mediation, "GET", "committee/alerts")
    alert = next(a for a in alerts if a["company"] == PLATFORM[0])
    assert alert["consultation_id"] is None

    # only the committee; a bad participant side names its field
    refused = await mediation.client.post(
        "/api/v1/consultations",
        headers=auth_headers("mediator", "m-1"),
        json={"title": "x", "participants": []},
    )
    assert refused.status_code == 403
    bad = await mediation.client.post(
        "/api/v1/consultations",
        headers=COMMITTEE,
        json={
            "title": "扣款规则协商",
            "alert_id": alert["id"],
            "participants": [{"name": "张经理", "organisation": PLATFORM[0], "side": "boss"}],
        },
    )
    assert bad.status_code == 422 and "side" in bad.text
    alone = await mediation.client.post(
        "/api/v1/consultations",
        headers=COMMITTEE,
        json={
            "title": "无预警协商",
            "participants": [{"name": "张经理", "organisation": PLATFORM[0], "side": "company_hq"}],
        },
    )
    assert alone.status_code == 422 and "company" in alone.text

    opened = await _call(
        mediation,
        "POST",
        "consultations",
        {
            "title": "超时扣款规则行业协商",
            "alert_id": alert["id"],
            "participants": [
                {"name": "张经理", "organisation": PLATFORM[0], "side": "company_hq"},
                {"name": "陈总", "organisation": PARTNER[0], "side": "partner"},
                {"name": "吴师傅", "organisation": "骑手代表", "side": "rider_representative"},
                {"name": "刘师傅", "organisation": "骑手代表", "side": "rider_representative"},
            ],
        },
    )
    cid = opened["id"]
    assert (opened["status"], opened["company"], opened["dispute_type"]) == (
        "open",
        PLATFORM[0],
        "penalty_deduction",
    )
    alerts = await _call(mediation, "GET", "committee/alerts")
    assert next(a for a in alerts if a["id"] == alert["id"])["consultation_id"] == cid

    for held_on in ("2026-02-20", "2026-02-26"):
        await _call(
            mediation,
            "POST",
            f"consultations/{cid}/sessions",
            {
                "held_on": held_on,
                "place": "徐泾镇 平台总部",
                "summary": "协商超时扣款规则",
                "attendees": ["张经理", "陈总", "吴师傅", "刘师傅"],
            },
        )
    early = await mediation.client.post(
        f"/api/v1/consultations/{cid}/agreement",
        headers=COMMITTEE,
        json={
            "changes": ["停止超时扣款"],
            "effective_on": "2026-03-01",
            "follow_up_on": "2026-02-01",
        },
    )
    assert early.status_code == 422 and "follow_up_on" in early.text
    agreed = await _call(
        mediation,
        "POST",
        f"consultations/{cid}/agreement",
        {
            "changes": ["自下月1日起停止超时扣款", "退还近三个月已扣款项"],
            "effective_on": "2026-03-01",
            "follow_up_on": "2026-06-01",
        },
    )
    assert agreed["status"] == "agreed" and len(agreed["sessions"]) == 2

    effect = await _call(mediation, "GET", f"consultations/{cid}/effect")
    assert [m["disputes"] for m in effect["before"]["months"]] == [5, 4, 6]
    assert [m["month"] for m in effect["after"]["months"]] == ["2026-03", "2026-04", "2026-05"]
    assert [m["disputes"] for m in effect["after"]["months"]] == [1, 0, 0]
    assert (effect["before"]["per_month"], effect["after"]["per_month"]) == (5.0, 0.33)

    closed = await _call(
        mediation,
        "POST",
        f"consultations/{cid}/close",
        {
            "outcome": "rule_changed",
            "note": "回访确认已停止扣款并完成退款",
        },
    )
    assert (closed["status"], closed["outcome"]) == ("closed", "rule_changed")
    again = await mediation.client.post(
        f"/api/v1/consultations/{cid}/sessions",
        headers=COMMITTEE,
        json={"held_on": "2026-06-09", "place": "x", "summary": "y"},
    )
    assert again.status_code == 409
    listed = await _call(mediation, "GET", "consultations")
    assert [c["id"] for c in listed] == [cid]

    # Each step told in the transaction of its change, on the consultation's own id; a refused
    # step (the early follow-up, the session after closing) told nothing.
    told = await mediation.events(uuid.UUID(cid))
    assert [e["event_type"] for e in told] == [
        "consultation.opened",
        "consultation.session_recorded",
        "consultation.session_recorded",
        "consultation.agreed",
    ]
    assert told[0]["payload"]["alert_id"] == alert["id"]
    assert told[0]["payload"]["company"] == PLATFORM[0]
    assert [p["side"] for p in told[0]["payload"]["participants"]][:2] == ["company_hq", "partner"]
    assert told[2]["payload"]["held_on"] == "2026-02-26"
    assert told[3]["payload"]["changes"] == ["自下月1日起停止超时扣款", "退还近三个月已扣款项"]
    assert (told[3]["payload"]["effective_on"], told[3]["payload"]["follow_up_on"]) == (
        "2026-03-01",
        "2026-06-01",
    )
    assert {e["actor"]["role"] for e in told} == {"committee"}
