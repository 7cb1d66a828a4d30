"""Mediation, dispatch and notify keep their own append-only audit logs (SQLite and PostgreSQL):
reads of disputes, hazards and delivery logs are recorded with the caller and the request,
each service serves its log to admins only, and its database refuses to change an entry."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from services.dispatch.adapters.tables import AUDIT as DISPATCH_AUDIT
from services.mediation.adapters.tables import AUDIT as MEDIATION_AUDIT
from services.notify.adapters.tables import AUDIT as NOTIFY_AUDIT
from services.notify.app import create_app as create_notify
from services.notify.config import NotifySettings
from shared.platform.clock import FrozenClock
from shared.platform.runtime import ServiceRuntime
from tests.auth import auth_headers
from tests.integration.dispatch_harness import Dispatch, case_filed
from tests.integration.mediation_harness import COMMITTEE, SUDA, running_mediation
from tests.integration.notify_harness import dispute_filed

pytestmark = pytest.mark.integration

ADMIN = auth_headers("admin", "admin-1")
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
RAW_PHONE = re.compile(r"\b1[3-9]\d{9}\b")


async def _entries(client: httpx.AsyncClient, request_id: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/audit", headers=ADMIN, params={"limit": 500})
    assert answer.status_code == 200, answer.text
    return [e for e in answer.json()["items"] if e["request_id"] == request_id]


async def _refuses_changes(runtime: ServiceRuntime, table: sa.Table) -> None:
    for statement in (sa.update(table).values(role="admin"), sa.delete(table)):
        async with runtime.sessions() as session:
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                await session.execute(statement)
                await session.commit()
    async with runtime.sessions() as session:
        rows = (await session.execute(sa.select(table))).mappings().all()
    assert rows and not any(RAW_PHONE.search(str(dict(r))) for r in rows)


async def _only_admins(client: httpx.AsyncClient) -> None:
    for role in ("intake_officer", "committee", "mediator", "department", "complainant"):
        refused = await client.get("/api/v1/audit", headers=auth_headers(role))
        assert refused.status_code == 403, role


async def test_mediation_records_dispute_reads_by_role_and_its_party_view(
    database_url: str, redis_url: str
):
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as mediation:
        case_id, _ = await mediation.file(respondents=(("速达快递有限公司", SUDA),))
        client = mediation.client
        read = await client.get(f"/api/v1/disputes/{case_id}", headers=COMMITTEE)
        assert read.status_code == 200, read.text
        [entry] = await _entries(client, read.headers["x-request-id"])
        assert entry["service"] == "mediation" and entry["action"] == "read"
        assert (entry["role"], entry["actor_id"], entry["case_id"]) == (
            "committee",
            "chair",
            str(case_id),
        )
        assert {"respondents", "title"} <= set(entry["fields"])
        assert entry["route"] == "/api/v1/disputes/{case_id}"

        accepted = await client.post(f"/api/v1/disputes/{case_id}/accept", headers=COMMITTEE)
        assert accepted.status_code == 200
        [after] = await _entries(client, accepted.headers["x-request-id"])
        assert after["action"] == "read" and after["case_id"] == str(case_id)

        listed = await client.get("/api/v1/disputes", headers=COMMITTEE)
        [queue] = await _entries(client, listed.headers["x-request-id"])
        assert queue["action"] == "list" and str(case_id) in queue["case_ids"]

        stranger = await client.get(
            f"/api/v1/disputes/{case_id}", headers=auth_headers("respondent", "org-other")
        )
        assert stranger.status_code == 403
        assert await _entries(client, stranger.headers["x-request-id"]) == []
        by_case = await client.get(
            "/api/v1/audit", headers=ADMIN, params={"case_id": str(case_id), "action": "read"}
        )
        assert len(by_case.json()["items"]) == 2
        await _only_admins(client)
        await _refuses_changes(mediation.runtime, MEDIATION_AUDIT)


async def test_dispatch_records_hazard_reads_and_queue_lists(database_url: str, redis_url: str):
    async with Dispatch(database_url, redis_url, FrozenClock(MONDAY)) as dispatch:
        filed = case_filed("fire_lane_blocked", "xujing")
        assert await dispatch.feed(filed)
        read = await dispatch.http.get(f"/api/v1/hazards/{filed.case_id}")
        assert read.status_code == 200, read.text
        [entry] = await _entries(dispatch.http, read.headers["x-request-id"])
        assert entry["service"] == "dispatch" and entry["case_id"] == str(filed.case_id)
        assert entry["role"] == "intake_officer"
        assert {"latitude", "longitude", "title"} <= set(entry["fields"])
        department = read.json()["department_id"]
        queue = await dispatch.http.get(
            "/api/v1/queue", headers=auth_headers("department", department)
        )
        assert queue.status_code == 200, queue.text
        [listed] = await _entries(dispatch.http, queue.headers["x-request-id"])
        assert listed["action"] == "list" and listed["case_ids"] == [str(filed.case_id)]
        await _only_admins(dispatch.http)
        await _refuses_changes(dispatch.runtime, DISPATCH_AUDIT)


@pytest.fixture
async def notify(database_url: str, redis_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    settings = NotifySettings(
        database_url=database_url,
        redis_url=redis_url,
        smtp_url="mailto://127.0.0.1:1?from=noreply@waystation.test",
        quiet_hours_start="00:00",
        quiet_hours_end="00:00",
    )
    app = create_notify(settings)
    runtime = app.state.runtime
    async with runtime.running():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
            yield client, runtime


async def test_notify_records_delivery_logs_and_inbox_reads(notify: tuple[httpx.AsyncClient, Any]):
    client, runtime = notify
    case_id = uuid.uuid4()
    await runtime.consumer.apply(dispute_filed(case_id, email="li@example.com"))
    party = f"c-{case_id.hex[:8]}"
    log = await client.get(f"/api/v1/cases/{case_id}/deliveries", headers=COMMITTEE)
    assert log.status_code == 200
    [entry] = await _entries(client, log.headers["x-request-id"])
    assert entry["service"] == "notify" and entry["case_id"] == str(case_id)
    assert entry["fields"] == ["party_id"] and entry["role"] == "committee"
    inbox = await client.get("/api/v1/inbox", headers=auth_headers("complainant", party))
    assert inbox.status_code == 200 and inbox.json()
    [read] = await _entries(client, inbox.headers["x-request-id"])
    assert read["action"] == "list" and read["actor_id"] == party
    assert read["fields"] == ["body", "subject"] and read["case_ids"] == [str(case_id)]
    assert "li@example.com" not in str(await _entries(client, inbox.headers["x-request-id"]))
    await _only_admins(client)
    await _refuses_changes(runtime, NOTIFY_AUDIT)
