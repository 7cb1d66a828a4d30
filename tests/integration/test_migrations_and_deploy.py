"""Each service's migrations build its schema on SQLite and PostgreSQL, matching its models."""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from shared.platform.db import alembic_config, upgrade

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["intake", "mediation", "dispatch", "notify"]


def _drift(connection: sa.Connection, metadata: sa.MetaData) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_apply_and_match_the_models(service: str, database_url: str):
    """The service's chain plus the platform revisions it depends on (and no other: no timer
    table where the service keeps no clocks) build exactly the tables its models declare."""
    migrations = ROOT / "services" / service / "migrations"
    await asyncio.to_thread(upgrade, migrations, database_url)
    await asyncio.to_thread(upgrade, migrations, database_url)  # a second start is a no-op
    metadata = importlib.import_module(f"services.{service}.adapters.tables").metadata
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_drift, metadata) == []
    finally:
        await engine.dispose()


def test_the_compose_file_is_valid_against_the_compose_spec():
    binary = shutil.which("check-jsonschema") or str(
        Path(os.sys.executable).parent / "check-jsonschema"
    )
    result = subprocess.run(
        [binary, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "POSTGRES_PASSWORD": "x"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_waits_for_healthy_redis_and_postgres_with_aof():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "--appendonly" in services["redis"]["command"]
    assert (
        services["redis"]["command"][services["redis"]["command"].index("--appendfsync") + 1]
        == "everysec"
    )
    for name in SERVICES:
        depends = services[name]["depends_on"]
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert "healthcheck" in services[name]
    init = (ROOT / "deploy" / "postgres-init.sql").read_text()
    assert all(f"CREATE DATABASE {name};" in init for name in SERVICES)


def test_the_compose_file_gives_every_service_its_token_keys_and_notify_its_intake_key():
    """In production a service refuses to start without the token keys; rider sign-in codes by
    SMS need notify to reach intake with its service key."""
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in (*SERVICES, "console"):
        env, mounts = services[name]["environment"], services[name]["volumes"]
        path = env["WAYSTATION_JWT_PUBLIC_KEY_FILE"]
        assert any(m.endswith(f":{path}:ro") for m in mounts), name
    private = services["intake"]["environment"]["WAYSTATION_JWT_PRIVATE_KEY_FILE"]
    assert any(m.endswith(f":{private}:ro") for m in services["intake"]["volumes"])
    assert not any(
        "private" in m for n in SERVICES if n != "intake" for m in services[n]["volumes"]
    )
    notify = services["notify"]["environment"]
    assert notify["NOTIFY_INTAKE_URL"] == "http://intake:8001"
    assert "NOTIFY_INTAKE_CLIENT_SECRET" in notify
    assert "INTAKE_SELF_URL" in services["intake"]["environment"]


@pytest.mark.parametrize("revision", ["0001", "0003", "0004", "0007"])
async def test_a_database_from_before_the_platform_branch_upgrades_in_place(
    revision: str, database_url: str
):
    """A deployed database records only its service's revision (the kit's and audit tables were
    once created by the service's own chain). Alembic counts the platform revisions the chain
    depends on as applied with it, so an upgrade runs just what is missing (outbox.traceparent
    after 0003, audit_entry after 0007) and the schema ends equal to the models."""
    migrations = ROOT / "services" / "mediation" / "migrations"
    config = alembic_config(migrations, database_url)
    await asyncio.to_thread(command.upgrade, config, revision)
    assert await _versions(database_url) == {revision}  # as a deployed database records it
    await asyncio.to_thread(upgrade, migrations, database_url)
    metadata = importlib.import_module("services.mediation.adapters.tables").metadata
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_drift, metadata) == []
    finally:
        await engine.dispose()


async def _versions(database_url: str) -> set[str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows}
    finally:
        await engine.dispose()
