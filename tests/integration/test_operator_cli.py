"""The operator's commands against a real Redis and a real service database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import redis
from typer.testing import CliRunner

from shared.messaging.dead_letters import dead_letter
from shared.platform.db import upgrade
from waystation.cli import app
from waystation.services import SERVICES

pytestmark = pytest.mark.integration
runner = CliRunner()


def _dead_letter(url: str) -> str:
    async def write() -> str:
        from redis.asyncio import Redis

        client = Redis.from_url(url)
        try:
            return await dead_letter(
                client,
                stream="waystation.intake",
                group="dispatch",
                entry_id="1-0",
                deliveries=5,
                error="boom 13812345678",
                body=b'{"phone": "13812345678"}',
                headers={},
            )
        finally:
            await client.aclose()

    return asyncio.run(write())


def test_dead_letters_are_listed_inspected_and_replayed_once(redis_url: str, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    dlq_id = _dead_letter(redis_url)
    listed = runner.invoke(app, ["dlq", "list"])
    assert listed.exit_code == 0 and dlq_id in listed.stdout
    shown = runner.invoke(app, ["dlq", "inspect", "waystation.intake", dlq_id])
    assert "deliveries 5" in shown.stdout and "138****5678" in shown.stdout
    assert "13812345678" not in shown.stdout
    client = redis.Redis.from_url(redis_url)
    before = client.xlen("waystation.intake") if client.exists("waystation.intake") else 0
    replayed = runner.invoke(app, ["dlq", "replay", "waystation.intake", dlq_id])
    assert "replayed" in replayed.stdout
    assert client.xlen("waystation.intake") == before + 1
    again = runner.invoke(app, ["dlq", "replay", "waystation.intake", dlq_id])
    assert "no dead letter" in again.stdout
    assert client.xlen("waystation.intake") == before + 1
    alerts = runner.invoke(app, ["alerts"])
    assert "dead_letter" in alerts.stdout


def test_pending_shows_every_group_of_the_topology(redis_url: str, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    redis.Redis.from_url(redis_url).xgroup_create("waystation.intake", "notify", "0", mkstream=True)
    shown = runner.invoke(app, ["pending"])
    assert shown.exit_code == 0
    assert "notify" in shown.stdout and "missing" in shown.stdout


def test_a_cases_outbox_is_republished_on_demand(
    redis_url: str, database_url: str, monkeypatch, tmp_path: Path
):
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("INTAKE_DATABASE_URL", database_url)
    upgrade(SERVICES["intake"].migrations_dir(), database_url)

    async def file_one() -> str:
        from services.intake.adapters.tables import KIT
        from shared.contracts.envelope import new_event
        from shared.messaging.uow import UnitOfWork
        from shared.platform.db import make_engine, make_sessions
        from tests.integration.kit_harness import filed_event

        engine = make_engine(database_url)
        event = filed_event()
        async with UnitOfWork(make_sessions(engine), KIT, producer="intake") as uow:
            uow.emit(event)
            await uow.commit()
        await engine.dispose()
        del new_event
        return str(event.case_id)

    case_id = asyncio.run(file_one())
    for expected in (1, 2):  # the first publication, then a republication
        result = runner.invoke(app, ["outbox", "republish", "intake", case_id])
        assert result.exit_code == 0, result.stdout
        assert redis.Redis.from_url(redis_url).xlen("waystation.intake") == expected


def test_retention_run_clears_the_parties_of_long_closed_cases(tmp_path: Path, monkeypatch):
    import uuid
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from services.intake.adapters.tables import Case, Party

    urls = {name: f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in ("intake", "notify")}
    for name, url in urls.items():
        upgrade(SERVICES[name].migrations_dir(), url)
        monkeypatch.setenv(f"{name.upper()}_DATABASE_URL", url)
    monkeypatch.setenv("INTAKE_RETENTION_DAYS", "30")
    sync_url = f"sqlite:///{tmp_path / 'intake.db'}"
    engine = sa.create_engine(sync_url)
    case_id = uuid.uuid4()
    long_ago = datetime.now(UTC) - timedelta(days=31)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Case.__table__).values(  # type: ignore[attr-defined]
                id=case_id,
                kind="hazard",
                tracking_code="AAAA-BBBB",
                status="closed",
                status_at=long_ago,
                channel="officer",
                title="t",
                description="d",
                category="road_damage",
                urgency="normal",
                address="",
                details={},
                status_notes="",
                created_at=long_ago,
                updated_at=long_ago,
            )
        )
        conn.execute(
            sa.insert(Party.__table__).values(  # type: ignore[attr-defined]
                id=uuid.uuid4(),
                case_id=case_id,
                role="reporter",
                party_id="p-1",
                name="吴师傅",
                phone="13812345678",
                email="wu@example.com",
                locale="zh-CN",
            )
        )
    ran = runner.invoke(app, ["retention", "run"])
    assert ran.exit_code == 0, ran.stdout
    assert "intake: 1 party record(s) of 1 case(s) cleared" in ran.stdout
    with engine.connect() as conn:
        name, phone = conn.execute(sa.select(Party.__table__.c.name, Party.__table__.c.phone)).one()  # type: ignore[attr-defined]
    engine.dispose()
    assert name.startswith("已清除") and phone is None


def test_drained_reads_every_outbox_and_names_a_database_it_cannot_read(
    tmp_path: Path, redis_url: str, monkeypatch
):
    monkeypatch.setenv("REDIS_URL", redis_url)
    for name in SERVICES:
        url = f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
        if name != "notify":
            upgrade(SERVICES[name].migrations_dir(), url)
        monkeypatch.setenv(f"{name.upper()}_DATABASE_URL", url)
    runner = CliRunner()
    unread = runner.invoke(app, ["drained"])
    assert unread.exit_code == 2, unread.output
    said = "".join(unread.output.split())  # the console wraps long lines
    assert "notify" in said and "尚未迁移" in said
    assert "Traceback" not in said
    upgrade(SERVICES["notify"].migrations_dir(), f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}")
    drained = runner.invoke(app, ["drained"])
    assert drained.exit_code == 0, drained.output
    assert "已排空" in drained.output
