"""An intake server per module and backend (SQLite and PostgreSQL), over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.infra import create_database, private_redis
from tests.integration.intake_server import Intake, serve_intake


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
