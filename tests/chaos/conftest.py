"""Chaos runs: each scenario gets its own system, Redis and sinks; CHAOS_LONG=1 for long runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.chaos.faults import RedisProcess
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database

LONG = os.environ.get("CHAOS_LONG") == "1"
LOAD_SECONDS = 120.0 if LONG else 12.0
RATE = 10.0 if LONG else 5.0
RESULTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "chaos"


@pytest.fixture
def sinks() -> Iterator[Sinks]:
    sink = Sinks()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def chaos_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path / "redis", aof=True)
    server.start()
    yield server
    server.kill()


SystemFactory = Callable[..., System]


@pytest.fixture
def make_system(tmp_path: Path, pg_admin_url: str, sinks: Sinks) -> Iterator[SystemFactory]:
    systems: list[System] = []

    def build(redis_url: str, admin_url: str | None = None) -> System:
        databases = {name: create_database(admin_url or pg_admin_url) for name in SERVICES}
        folder = tmp_path / f"system{len(systems)}"
        folder.mkdir(parents=True, exist_ok=True)
        system = System(folder, redis_url, databases, sinks)
        systems.append(system)
        system.start_all(console=False)
        return system

    yield build
    for system in systems:
        system.stop_all()
