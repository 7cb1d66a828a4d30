"""One running system per backend (PostgreSQL and the embedded SQLite default) per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Sinks, System
from tests.e2e.systems import running_system


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
    with running_system(request.param, folder, pg_admin_url, sinks) as sut:
        yield sut
