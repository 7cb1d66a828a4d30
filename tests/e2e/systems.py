"""A running system for a module of e2e tests, on one Redis node or on a Redis Cluster."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from tests.cluster import redis_cluster_for_tests
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database, private_redis

# The stream partitions of a system on a Redis Cluster (a cluster needs N >= 2).
CLUSTER_PARTITIONS = 4


@contextlib.contextmanager
def running_system(kind: str, folder: Path, pg_admin_url: str, sinks: Sinks) -> Iterator[System]:
    """`kind`: "postgresql" or "sqlite" on a Redis node of its own (append-only file), or
    "cluster": PostgreSQL on a local 3-master Redis Cluster with CLUSTER_PARTITIONS partitions."""
    if kind == "sqlite":
        databases = {
            name: f"sqlite+aiosqlite:///{folder / 'data' / f'{name}.db'}" for name in SERVICES
        }
    else:
        databases = {name: create_database(pg_admin_url) for name in SERVICES}
    with contextlib.ExitStack() as stack:
        if kind == "cluster":
            redis_url = stack.enter_context(redis_cluster_for_tests(folder / "redis-cluster"))
        else:
            redis_url, _proc = stack.enter_context(private_redis(folder / "redis", aof=True))
        sut = System(folder, redis_url, databases, sinks)
        if kind == "cluster":
            sut.env["STREAM_PARTITIONS"] = str(CLUSTER_PARTITIONS)
        try:
            sut.start_all()
            yield sut
        finally:
            sut.stop_all()
