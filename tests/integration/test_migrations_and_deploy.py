"""Each service's migrations build its schema on SQLite and PostgreSQL, matching its models."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from alembic import command

from shared.db import alembic_config, upgrade

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["intake", "mediation", "dispatch", "notify"]


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_apply_and_match_the_models(service: str, database_url: str):
    migrations = ROOT / "services" / service / "migrations"
    upgrade(migrations, database_url)
    upgrade(migrations, database_url)  # a second start is a no-op
    command.check(alembic_config(migrations, database_url))  # raises if models drifted


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
