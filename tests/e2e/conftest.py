"""One running system per backend (PostgreSQL and the embedded SQLite default) per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database, private_redis


@pytest.fixture(scope="module")
def sinks() -> Iterator[Sinks]:
    sink = Sinks()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def system(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_admin_url: str,
    sinks: Sinks,
) -> Iterator[System]:
    folder: Path = tmp_path_factory.mktemp(f"system-{request.param}")
    if request.param == "postgresql":
        databases = {name: create_database(pg_admin_url) for name in SERVICES}
    else:
        databases = {
            name: f"sqlite+aiosqlite:///{folder / 'data' / f'{name}.db'}" for name in SERVICES
        }
    with private_redis(folder / "redis", aof=True) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        try:
            sut.start_all()
            yield sut
        finally:
            sut.stop_all()
