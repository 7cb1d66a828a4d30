"""A running system for a module of e2e tests, on one Redis node or on a Redis Cluster."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.cluster import redis_cluster_for_tests
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database, private_redis
from waystation.bench.ports import free_ports

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


class Replicas:
    """The e2e System with a second process of every service on a port of its own."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.names = [f"{name}-{r}" for name in SERVICES for r in (1, 2)]

    def start(self) -> None:
        sut = self.system
        seconds = free_ports(len(SERVICES))
        for name, port in zip(SERVICES, seconds, strict=True):
            sut.ports[f"{name}-1"] = sut.ports[name]
            sut.ports[f"{name}-2"] = port
        # All at once but dispatch's second replica, which waits for the first: two dispatch
        # processes seeding one fresh database at the same moment collide on the seed rows.
        later = "dispatch-2"
        for key in [k for k in self.names if k != later]:
            self.launch(key)
        sut.wait_ready("dispatch-1")
        self.launch(later)
        for key in self.names:
            sut.wait_ready(key)

    def launch(self, key: str) -> None:
        """Start replica `key` (`intake-2`); also how a killed replica comes back."""
        sut = self.system
        name = key.rpartition("-")[0]
        log = (sut.folder / f"{key}.log").open("ab")
        env = sut.env | {f"{name.upper()}_HTTP_PORT": str(sut.ports[key])}
        sut.procs[key] = subprocess.Popen(
            [sys.executable, "-m", "waystation.cli", "serve", name],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        for key in self.names:
            if key in self.system.procs:
                self.system.stop(key)

    def url(self, name: str, i: int) -> str:
        return self.system.url(f"{name}-{i % 2 + 1}")
