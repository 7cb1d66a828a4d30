"""Real Redis and PostgreSQL for the tests: testcontainers when a Docker engine answers,
else explicit URLs from the environment, else private servers started on free ports.

Nothing is skipped for want of Docker: the local binaries serve instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import redis

from waystation.bench.ports import free_port


def docker_available() -> bool:
    if os.environ.get("WAYSTATION_TEST_NO_DOCKER"):
        return False
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def wait_for_pong(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    client = redis.Redis.from_url(url)
    while True:
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def private_redis(
    folder: Path, *, aof: bool = False
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of our own on a free port, persistence only if asked."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("no redis-server binary: install it (Debian: redis-server)")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    args = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--dir",
        str(folder),
        "--appendonly",
        "yes" if aof else "no",
        "--appendfsync",
        "everysec",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_pong(url)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(10)


@contextlib.contextmanager
def redis_for_tests(folder: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
        yield url
        return
    if docker_available():
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7-alpine") as container:
            host, port = container.get_container_host_ip(), container.get_exposed_port(6379)
            yield f"redis://{host}:{port}/0"
            return
    with private_redis(folder) as (url, _proc):
        yield url


@contextlib.contextmanager
def postgres_for_tests() -> Iterator[str]:
    """An admin URL (driverless) of a PostgreSQL where the tests may create databases."""
    if url := os.environ.get("TEST_PG_ADMIN_URL"):
        yield url
        return
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15-alpine", driver=None) as container:
            yield container.get_connection_url()
            return
    yield "postgresql://postgres@127.0.0.1:5432/postgres"


_CREATED: list[str] = []


def create_database(admin_url: str) -> str:
    """A fresh database; returns its asyncpg SQLAlchemy URL (dropped at the session's end)."""
    import psycopg

    name = f"ws_test_{uuid.uuid4().hex[:12]}"
    _CREATED.append(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def drop_databases(admin_url: str) -> None:
    """Drop the databases this session created (never another run's)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        while _CREATED:
            conn.execute(f'DROP DATABASE IF EXISTS "{_CREATED.pop()}" WITH (FORCE)')
