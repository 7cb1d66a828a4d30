"""An intake server per module and backend (SQLite and PostgreSQL), over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.infra import create_database, private_redis
from tests.integration.intake_server import Intake, serve_intake
from tests.migration_cache import migrations_copied


@pytest.fixture(scope="session", autouse=True)
def _each_schema_migrated_once(
    pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Fresh databases get a copy of a schema migrated once this session (see the module)."""
    with migrations_copied(pg_admin_url, tmp_path_factory.mktemp("migrated")):
        yield


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def intake(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str
) -> AsyncIterator[Intake]:
    folder = tmp_path_factory.mktemp(f"intake-{request.param}")
    url = (
        f"sqlite+aiosqlite:///{folder / 'intake.db'}"
        if request.param == "sqlite"
        else create_database(pg_admin_url)
    )
    with private_redis(folder / "redis") as (redis_url, _proc):
        async with serve_intake(url, redis_url, folder) as server:
            yield server
