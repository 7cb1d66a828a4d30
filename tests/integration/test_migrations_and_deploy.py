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
