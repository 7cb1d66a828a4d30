"""The audit log of personal-data access, over real HTTP on SQLite and PostgreSQL:
who read or changed which fields of which case, tied to the request, append-only in the
database, kept through retention purges, served to admins only, never holding the data."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from services.intake.adapters.tables import AUDIT, Case
from services.intake.service_layer.retention import purge_all
from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration

OFFICER = auth_headers("intake_officer", "officer-audit")
ADMIN = auth_headers("admin", "admin-1")
PHONE = "13811112222"
ID_NUMBER = "11010519491231002X"
SUDA = "91310000SUDA00001X"
RAW_PHONE = re.compile(r"\b1[3-9]\d{9}\b")
RAW_ID_NUMBER = re.compile(r"\b\d{17}[\dXx]\b")


def _dispute() -> dict[str, Any]:
    return {
        "complainant": {"name": "李某", "phone": PHONE, "id_number": ID_NUMBER},
        "respondents": [{"name": "速达快递有限公司", "org_code": SUDA}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "facts": f"10月工资未发放，电话{PHONE}",
    }


async def _call(
    intake: Intake, method: str, path: str, headers: dict[str, str], **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(headers=headers) as client:
        return await client.request(method, f"{intake.url}{path}", timeout=10, **kw)


async def _file(intake: Intake) -> str:
    filed = await _call(intake, "POST", "/api/v1/disputes", OFFICER, json=_dispute())
    assert filed.status_code == 201, filed.text
    return str(filed.json()["case_id"])


async def _audit(intake: Intake, **params: Any) -> list[dict[str, Any]]:
    answer = await _call(intake, "GET", "/api/v1/audit", ADMIN, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]  # type: ignore[no-any-return]


async def _by_request(intake: Intake, request_id: str, **params: Any) -> list[dict[str, Any]]:
    return [e for e in await _audit(intake, limit=500, **params) if e["request_id"] == request_id]


async def test_an_officers_read_names_actor_case_fields_and_the_request(intake: Intake):
    case_id = await _file(intake)
    [created] = await _audit(intake, case_id=case_id, action="create")
    assert created["actor_id"] == "officer-audit" and created["role"] == "intake_officer"
    assert {"complainant.id_number", "complainant.phone", "complainant.name"} <= set(
        created["fields"]
    )

    read = await _call(intake, "GET", f"/api/v1/cases/{case_id}", OFFICER)
    assert read.status_code == 200
    [entry] = await _by_request(intake, read.headers["x-request-id"])
    assert entry["service"] == "intake" and entry["action"] == "read"
    assert (entry["actor_id"], entry["role"], entry["case_id"]) == (
        "officer-audit",
        "intake_officer",
        case_id,
    )
    assert entry["route"] == "/api/v1/cases/{case_id}"
    assert {"parties.name", "parties.phone_masked", "description"} <= set(entry["fields"])
    assert all(not f.endswith("id_number") for f in entry["fields"])  # never shown, never read


async def test_a_respondents_read_records_no_phone_or_id_number(intake: Intake):
    case_id = await _file(intake)
    company = auth_headers("respondent", f"org-{SUDA}")
    read = await _call(intake, "GET", f"/api/v1/cases/{case_id}", company)
    assert read.status_code == 200
    assert all(p["phone_masked"] is None for p in read.json()["parties"])
    [entry] = await _by_request(intake, read.headers["x-request-id"])
    assert entry["role"] == "respondent" and entry["actor_id"] == f"org-{SUDA}"
    assert "parties.name" in entry["fields"]
    assert not [f for f in entry["fields"] if "phone" in f or "id_number" in f]

    stranger = await _call(intake, "GET", f"/api/v1/cases/{case_id}", auth_headers("reporter"))
    assert stranger.status_code == 403
    assert await _by_request(intake, stranger.headers["x-request-id"]) == []


async def test_a_correction_and_its_entry_commit_together_or_not_at_all(intake: Intake):
    lat, lng = 31.139, 121.169
    hazard = {
        "category": "road_damage",
        "latitude": lat,
        "longitude": lng,
        "description": "路面塌陷",
        "reporter": {"name": "吴师傅", "phone": "13812345678"},
    }
    filed = await _call(intake, "POST", "/api/v1/hazards", OFFICER, json=hazard)
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]
    path = f"/api/v1/cases/{case_id}/correct"

    moved = await _call(
        intake, "POST", path, OFFICER, json={"latitude": 31.18, "longitude": 121.27, "reason": "x"}
    )
    assert moved.status_code == 200, moved.text
    entries = await _by_request(intake, moved.headers["x-request-id"])
    [update] = [e for e in entries if e["action"] == "update"]
    assert update["case_id"] == case_id and update["fields"] == ["latitude", "longitude"]
    assert [e["action"] for e in entries] == ["read", "update"]  # then it read the answer

    # Staged before the change, rolled back with it: the failed correction left no entry.
    outside = await _call(
        intake, "POST", path, OFFICER, json={"latitude": 20.0, "longitude": 100.0, "reason": "x"}
    )
    assert outside.status_code == 400
    assert await _by_request(intake, outside.headers["x-request-id"]) == []
    dispute_id = await _file(intake)
    placed = await _call(
        intake,
        "POST",
        f"/api/v1/cases/{dispute_id}/correct",
        OFFICER,
        json={"latitude": 31.1, "longitude": 121.1, "reason": "x"},
    )
    assert placed.status_code == 422
    assert await _by_request(intake, placed.headers["x-request-id"]) == []


async def test_a_list_is_one_entry_and_an_id_number_search_names_no_number(intake: Intake):
    case_id = await _file(intake)
    listed = await _call(
        intake, "GET", "/api/v1/cases", OFFICER, params={"kind": "dispute", "limit": 3}
    )
    assert listed.status_code == 200
    [entry] = await _by_request(intake, listed.headers["x-request-id"])
    assert entry["action"] == "list" and entry["case_id"] is None
    assert entry["case_count"] == len(listed.json()["items"]) == len(entry["case_ids"])
    assert entry["case_ids"] == [c["case_id"] for c in listed.json()["items"]]

    found = await _call(
        intake, "POST", "/api/v1/parties/search", OFFICER, json={"id_number": ID_NUMBER}
    )
    assert found.status_code == 200
    [search] = await _by_request(intake, found.headers["x-request-id"])
    assert search["action"] == "search" and case_id in search["case_ids"]
    assert search["route"] == "/api/v1/parties/search"


async def test_the_tracking_page_is_audited_as_its_reporter_never_by_code(intake: Intake):
    case_id = await _file(intake)
    async with intake.runtime.sessions() as session:
        case = await session.get(Case, uuid.UUID(case_id))
    assert case is not None
    page = await _call(intake, "GET", f"/track/{case.tracking_code}", {})
    assert page.status_code == 200
    [entry] = await _by_request(intake, page.headers["x-request-id"])
    assert entry["role"] == "reporter" and entry["case_id"] == case_id
    assert entry["actor_id"].startswith("p-") and case.tracking_code not in str(entry)
    assert entry["route"] == "/track/{code}"


async def test_admins_filter_and_page_the_log_and_nobody_else_reads_it(intake: Intake):
    case_id = await _file(intake)
    reader = auth_headers("intake_officer", "officer-pager")
    for _ in range(3):
        assert (await _call(intake, "GET", f"/api/v1/cases/{case_id}", reader)).status_code == 200
    mine = await _audit(intake, actor_id="officer-pager")
    assert len(mine) == 3 and all(e["action"] == "read" for e in mine)
    assert [e["seq"] for e in mine] == sorted((e["seq"] for e in mine), reverse=True)

    first = await _call(
        intake, "GET", "/api/v1/audit", ADMIN, params={"actor_id": "officer-pager", "limit": 2}
    )
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"] == page["items"][-1]["seq"]
    rest = await _audit(intake, actor_id="officer-pager", before=page["next_cursor"])
    assert [e["seq"] for e in page["items"] + rest] == [e["seq"] for e in mine]

    assert await _audit(intake, case_id=case_id, action="create") != []
    assert await _audit(intake, case_id=case_id, action="purge") == []
    at = datetime.fromisoformat(mine[0]["at"].replace("Z", "+00:00"))
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    later = (at + timedelta(seconds=1)).isoformat()
    assert await _audit(intake, actor_id="officer-pager", since=later) == []
    assert len(await _audit(intake, actor_id="officer-pager", until=later)) == 3
    bad = await _call(intake, "GET", "/api/v1/audit", ADMIN, params={"action": "peek"})
    assert bad.status_code == 422

    for role in ("intake_officer", "committee", "department", "mediator", "reporter"):
        refused = await _call(intake, "GET", "/api/v1/audit", auth_headers(role))
        assert refused.status_code == 403, role
    assert (await _call(intake, "GET", "/api/v1/audit", {})).status_code == 401


async def test_the_database_refuses_to_change_or_delete_an_entry(intake: Intake):
    await _file(intake)
    for statement in (
        sa.update(AUDIT).values(actor_id="someone-else"),
        sa.delete(AUDIT),
    ):
        async with intake.runtime.sessions() as session:
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                await session.execute(statement)
                await session.commit()
    async with intake.runtime.sessions() as session:
        kept = (await session.execute(sa.select(sa.func.count()).select_from(AUDIT))).scalar()
    assert kept and kept > 0


async def test_a_purge_keeps_the_entries_adds_its_own_and_no_entry_holds_the_data(
    intake: Intake,
):
    case_id = await _file(intake)
    assert (await _call(intake, "GET", f"/api/v1/cases/{case_id}", OFFICER)).status_code == 200
    before = await _audit(intake, case_id=case_id)
    now = datetime(2032, 1, 1, tzinfo=UTC)
    async with intake.runtime.sessions() as session:
        case = await session.get(Case, uuid.UUID(case_id))
        assert case is not None
        case.status, case.status_at = "closed", now - timedelta(days=400)
        session.add(case)
        await session.commit()

    await purge_all(intake.runtime.uow, FrozenClock(now), retention_days=30)

    after = await _audit(intake, case_id=case_id)
    assert [e["seq"] for e in after[1:]] == [e["seq"] for e in before]  # all kept
    purge = after[0]
    assert purge["action"] == "purge" and purge["role"] == "system"
    assert purge["actor_id"] == "system" and purge["request_id"] is None
    assert {"parties.name", "parties.phone", "parties.id_number", "description"} <= set(
        purge["fields"]
    )

    async with intake.runtime.sessions() as session:
        rows = (await session.execute(sa.select(AUDIT))).mappings().all()
    assert rows
    for row in rows:
        text = " ".join(str(v) for v in row.values())
        assert not RAW_PHONE.search(text), text
        assert not RAW_ID_NUMBER.search(text), text
        assert "李某" not in text and "吴师傅" not in text


def test_the_cli_records_user_accounts_and_reads_each_services_log(
    database_url: str, monkeypatch: pytest.MonkeyPatch
):
    from typer.testing import CliRunner

    from waystation.cli import app

    monkeypatch.setenv("INTAKE_DATABASE_URL", database_url)
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "user", "create", "--username", "zhang", "--role", "intake_officer",
            "--actor-id", "officer-9", "--name", "张三", "--password", "a-long-pass-phrase",
        ],
    )  # fmt: skip
    assert made.exit_code == 0, made.stdout
    assert runner.invoke(app, ["user", "list"]).exit_code == 0
    engine = sa.create_engine(
        database_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    )
    with engine.connect() as conn:
        rows = conn.execute(sa.select(AUDIT).order_by(AUDIT.c.seq)).mappings().all()
    engine.dispose()
    assert [(r["action"], r["role"], r["actor_id"]) for r in rows] == [
        ("create", "system", "cli"),
        ("list", "system", "cli"),
    ]
    assert rows[0]["fields"] == ["user_account.name", "user_account.username"]
    shown = runner.invoke(app, ["audit", "--service", "intake", "--actor", "cli"])
    assert shown.exit_code == 0, shown.stdout
    assert "system" in shown.stdout and "张三" not in shown.stdout
    wrong = runner.invoke(app, ["audit", "--service", "intake", "--case", "not-a-case"])
    assert wrong.exit_code == 2 and "--case" in wrong.output
