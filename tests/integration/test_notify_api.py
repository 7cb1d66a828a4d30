"""Notify's HTTP API on a running runtime: delivery logs, inbox and preferences, each party
only its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from services.notify.app import create_app
from services.notify.config import NotifySettings
from shared.contracts.events.mediation import AgreementSigned, MediatorAssigned
from tests.auth import OFFICER, auth_headers
from tests.integration.notify_harness import dispute_filed, event

pytestmark = pytest.mark.integration

COMMITTEE = auth_headers("committee", "chair")


@pytest.fixture
async def api(database_url: str, redis_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    settings = NotifySettings(
        database_url=database_url,
        redis_url=redis_url,
        smtp_url="mailto://127.0.0.1:1?from=noreply@waystation.test",
        quiet_hours_start="00:00",
        quiet_hours_end="00:00",
    )
    app = create_app(settings)
    runtime = app.state.runtime
    async with runtime.running():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://notify", headers=OFFICER
        ) as client:
            yield client, runtime


def _me(party_id: str, role: str = "complainant") -> dict[str, str]:
    return auth_headers(role, party_id)


async def _filed(runtime: object) -> tuple[uuid.UUID, str]:
    case_id = uuid.uuid4()
    await runtime.consumer.apply(dispute_filed(case_id, email="li@example.com"))  # type: ignore[attr-defined]
    return case_id, f"c-{case_id.hex[:8]}"


async def test_the_delivery_log_of_a_case_is_for_the_committee_and_operators(api):
    client, runtime = api
    case_id, complainant = await _filed(runtime)
    log = (await client.get(f"/api/v1/cases/{case_id}/deliveries", headers=COMMITTEE)).json()
    assert {(d["party_role"], d["channel"], d["status"]) for d in log} == {
        ("complainant", "inapp", "sent"),
        ("complainant", "email", "queued"),
    }
    assert "target" not in log[0] and {"attempts", "last_error", "next_attempt_at"} <= set(log[0])
    summary = await client.get(f"/api/v1/cases/{case_id}/deliveries/summary", headers=COMMITTEE)
    assert summary.json()["sent"] == 1
    stranger = await client.get(
        f"/api/v1/cases/{case_id}/deliveries", headers=_me("someone", "respondent")
    )
    assert stranger.status_code == 403
    own = await client.get(f"/api/v1/parties/{complainant}/deliveries", headers=_me(complainant))
    assert own.status_code == 200 and len(own.json()) == 2
    other = await client.get(f"/api/v1/parties/{complainant}/deliveries", headers=_me("p-other"))
    assert other.status_code == 403


async def test_the_inbox_holds_only_ones_own_messages_and_marks_them_read(api):
    client, runtime = api
    case_id, complainant = await _filed(runtime)
    assigned = MediatorAssigned(
        state="assigned", mediator_id="med-wang", mediator_name="王律师", duty_body="明和律师事务所"
    )
    await runtime.consumer.apply(event("mediator.assigned", assigned, case_id))
    mine = (await client.get("/api/v1/inbox", headers=_me(complainant))).json()
    assert sorted(m["subject"] for m in mine) == [
        "【青浦驿站】您的纠纷已受理",
        "【青浦驿站】调解员已指派",
    ]
    mediator = _me("med-wang", "mediator")
    (for_mediator,) = (await client.get("/api/v1/inbox", headers=mediator)).json()
    assert "新分派" in for_mediator["subject"]
    assert (
        await client.post(f"/api/v1/inbox/{mine[0]['delivery_id']}/read", headers=mediator)
    ).status_code == 404
    read = await client.post(
        f"/api/v1/inbox/{mine[0]['delivery_id']}/read", headers=_me(complainant)
    )
    assert read.status_code == 200 and read.json()["read_at"]
    unread = (
        await client.get("/api/v1/inbox", params={"unread": True}, headers=_me(complainant))
    ).json()
    assert [m["delivery_id"] for m in unread] == [mine[1]["delivery_id"]]


async def test_a_party_sets_only_its_own_preferences_and_legal_notices_still_arrive(api):
    client, runtime = api
    case_id, complainant = await _filed(runtime)
    url = f"/api/v1/parties/{complainant}/preferences"
    assert (
        await client.put(url, json={"opted_out": True}, headers=_me("p-other"))
    ).status_code == 403
    assert (await client.get(url, headers=_me("p-other"))).status_code == 403
    bad = await client.put(url, json={"quiet_hours_start": "22:00"}, headers=_me(complainant))
    assert bad.status_code == 422
    saved = await client.put(
        url, json={"opted_out": True, "channels": ["email"]}, headers=_me(complainant)
    )
    assert saved.status_code == 200 and saved.json()["opted_out"] is True
    assert (await client.get(url, headers=_me(complainant))).json()["channels"] == ["email"]

    assigned = MediatorAssigned(
        state="assigned", mediator_id="med-wang", mediator_name="王律师", duty_body="明和律师事务所"
    )
    await runtime.consumer.apply(event("mediator.assigned", assigned, case_id))
    signed = AgreementSigned(
        state="performance_monitoring",
        agreement_id="a-1",
        terms="支付8600元",
        performance_deadline=date(2026, 12, 20),
    )
    await runtime.consumer.apply(event("agreement.signed", signed, case_id))
    log = (
        await client.get(f"/api/v1/parties/{complainant}/deliveries", headers=_me(complainant))
    ).json()
    by_event = {}
    for d in log:
        by_event.setdefault(d["event_type"], set()).add(d["channel"])
    assert by_event["mediator.assigned"] == {"inapp"}  # opted out: the inbox keeps a copy
    assert by_event["agreement.signed"] == {"inapp", "email"}  # critical: ignores the opt-out
