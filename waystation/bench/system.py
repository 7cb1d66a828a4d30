"""The system under benchmark: Redis, four services on fresh PostgreSQL databases, a sink."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from shared.auth.keys import PRIVATE_ENV, PUBLIC_ENV
from shared.auth.tokens import ensure_dev_keypair, issue
from shared.contracts.envelope import Actor

SERVICES = ("intake", "mediation", "dispatch", "notify")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:  # not up yet
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up in {timeout}s")
        time.sleep(0.1)


class BenchSystem:
    def __init__(self, folder: Path, pg_admin_url: str) -> None:
        self.folder = folder
        self.pg_admin_url = pg_admin_url
        self.redis_port = free_port()
        self.sink_port = free_port()
        self.ports = {name: free_port() for name in SERVICES}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.databases: dict[str, str] = {}
        self.sink_log = folder / "sink.log"
        self.keys = ensure_dev_keypair(folder / "keys")

    def headers(self, role: str, actor_id: str | None = None) -> dict[str, str]:
        """A caller's credentials: a token signed with the system's key."""
        actor = Actor(role=role, id=actor_id or role)
        token = issue(self.keys[0].read_bytes(), actor, user_id=f"bench-{role}", name="bench")
        return {"Authorization": f"Bearer {token}"}

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def _create_databases(self) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            for name in SERVICES:
                db = f"ws_bench_{name}_{uuid.uuid4().hex[:8]}"
                conn.execute(f'CREATE DATABASE "{db}"')
                base = self.pg_admin_url.rsplit("/", 1)[0]
                self.databases[name] = (
                    f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{db}"
                )

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        channels = self.folder / "channels.json"
        hook = f"json://127.0.0.1:{self.sink_port}"
        channels.write_text(
            json.dumps(
                {
                    "parties": {
                        "department:*": {"urls": [f"{hook}/departments/{{id}}"]},
                        "mediator:*": {"urls": [f"{hook}/mediators/{{id}}"]},
                        "committee": {"urls": [f"{hook}/committee"]},
                    }
                }
            )
        )
        env.update(
            {
                "REDIS_URL": self.redis_url,
                "WAYSTATION_DATA_DIR": str(self.folder / "data"),
                "NOTIFY_CHANNEL_DIRECTORY_FILE": str(channels),
                "NOTIFY_ALLOW_PRIVATE_TARGETS": "true",
                "NOTIFY_ALLOWED_WEBHOOK_HOSTS": "127.0.0.1",
                # every ticket must be routed: merging of nearby reports is measured
                # (the query runs) but cannot swallow the generated load
                "INTAKE_DUPLICATE_RADIUS_M": "1",
                "INTAKE_PUBLIC_POSTS_PER_MINUTE": "100000",
            }
        )
        # The system's own token keys; the load generator signs an officer's token with them.
        env[PRIVATE_ENV], env[PUBLIC_ENV] = str(self.keys[0]), str(self.keys[1])
        for name in SERVICES:
            prefix = name.upper()
            env[f"{prefix}_HTTP_PORT"] = str(self.ports[name])
            env[f"{prefix}_DATABASE_URL"] = self.databases[name]
            env[f"{prefix}_LOG_LEVEL"] = "WARNING"
            env[f"{prefix}_AUTO_ACCEPT"] = "true"
        return env

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._create_databases()
        redis_dir = self.folder / "redis"
        redis_dir.mkdir(exist_ok=True)
        binary = shutil.which("redis-server") or "redis-server"
        self.procs["redis"] = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--dir",
                str(redis_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        _wait(lambda: redis.Redis.from_url(self.redis_url).ping(), 10, "redis")
        self.procs["sink"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waystation.bench.sink",
                str(self.sink_log),
                str(self.sink_port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env = self.env()
        for name in SERVICES:
            self.start_service(name, env)
        for name in SERVICES:
            self.wait_ready(name)

    def wait_ready(self, name: str) -> None:
        _wait(lambda: httpx.get(f"{self.url(name)}/readyz").status_code == 200, 60, name)

    def start_service(self, name: str, env: dict[str, str] | None = None) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "waystation.cli", "serve", name],
            env=env or self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop_service(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def rss_mb(self) -> dict[str, float]:
        out = {}
        for name in SERVICES:
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                continue
            status = Path(f"/proc/{proc.pid}/status").read_text()
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            out[name] = kb / 1024
        return out

    def stop(self) -> None:
        for name in (*SERVICES, "sink", "redis"):
            self.stop_service(name)
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            for db in self.databases.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}" WITH (FORCE)')
