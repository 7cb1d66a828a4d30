"""Fixtures shared by every level of the suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

import shared.platform.runtime
import tests.auth  # noqa: F401  (sets the token key files before any app starts)
from tests.cluster import flush, redis_cluster_for_tests
from tests.infra import create_database, drop_databases, postgres_for_tests, redis_for_tests


@pytest.fixture(scope="session", autouse=True)
def _services_never_kill_the_test_runner() -> Iterator[list[str]]:
    """A service running inside pytest's process asks for a restart by SIGTERM to its own
    process, which here is the test runner: record the request instead, and fail the test."""
    requests: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shared.platform.runtime, "restart_process", requests.append)
        yield requests


@pytest.fixture(autouse=True)
def _no_restart_requested(_services_never_kill_the_test_runner: list[str]) -> Iterator[None]:
    requests = _services_never_kill_the_test_runner
    requests.clear()
    yield
    if requests:
        found = list(requests)
        requests.clear()
        pytest.fail(f"an in-process service asked to be restarted: {found}")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_for_tests(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_cluster_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local Redis Cluster of three masters (tests/cluster.py), started once per session."""
    with redis_cluster_for_tests(tmp_path_factory.mktemp("redis-cluster")) as url:
        yield url


@pytest.fixture
def redis_cluster_url(redis_cluster_server: str) -> str:
    """The session's Redis Cluster (`redis+cluster://...`), emptied before each test."""
    flush(redis_cluster_server)
    return redis_cluster_server


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's Redis, emptied before each test (stream names are fixed by contract)."""
    redis.Redis.from_url(redis_server).flushdb()
    return redis_server


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    with postgres_for_tests() as url:
        import psycopg

        try:
            psycopg.connect(url).close()
        except Exception as exc:  # no PostgreSQL is a broken environment, not a skip
            pytest.fail(f"PostgreSQL is required for the integration tests: {exc}")
        yield url
        drop_databases(url)


@pytest.fixture
def new_pg_database(pg_admin_url: str) -> Callable[[], str]:
    return lambda: create_database(pg_admin_url)


@pytest.fixture
def new_sqlite_database(tmp_path: Path) -> Callable[[], str]:
    counter = iter(range(1000))
    return lambda: f"sqlite+aiosqlite:///{tmp_path / f'db{next(counter)}.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest,
    new_pg_database: Callable[[], str],
    new_sqlite_database: Callable[[], str],
) -> str:
    """Each test that takes it runs on SQLite (the embedded default) and on PostgreSQL."""
    return new_sqlite_database() if request.param == "sqlite" else new_pg_database()
