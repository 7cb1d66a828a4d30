"""The system under benchmark: Redis, four services on fresh PostgreSQL databases, a sink."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import PRIVATE_ENV, PUBLIC_ENV
from shared.platform.auth.tokens import ensure_dev_keypair, issue
from waystation.bench.ports import free_ports

SERVICES = ("intake", "mediation", "dispatch", "notify")


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


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes and their children (gone ones count 0)."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for one in (proc, *proc.children(recursive=True)):
                times = one.cpu_times()
                total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def postgres_pids(databases: list[str]) -> list[int]:
    """PostgreSQL's backends serving these databases (their title names the database)."""
    import psutil

    names = [db.rsplit("/", 1)[1] for db in databases]
    pids = []
    for proc in psutil.process_iter(["cmdline"]):
        title = " ".join(proc.info["cmdline"] or ())
        if title.startswith("postgres:") and any(f" {name} " in title for name in names):
            pids.append(proc.pid)
    return pids


class BenchSystem:
    """`replicas` processes of every service (keys `intake`, `intake-2`, ...), on
    `partitions` stream partitions, on one Redis node or (`cluster`) a local 3-master cluster."""

    def __init__(
        self,
        folder: Path,
        pg_admin_url: str,
        *,
        replicas: int = 1,
        partitions: int = 1,
        cluster: bool = False,
    ) -> None:
        self.folder = folder
        self.pg_admin_url = pg_admin_url
        self.replicas, self.partitions, self.cluster = replicas, partitions, cluster
        keys = self.processes()
        self.redis_port, self.sink_port, *ports = free_ports(2 + len(keys))
        self.cluster_url = ""
        self.redis_pids: list[int] = []
        self.ports = dict(zip(keys, ports, strict=True))
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.databases: dict[str, str] = {}
        self.sink_log = folder / "sink.log"
        self.keys = ensure_dev_keypair(folder / "keys")

    def headers(self, role: str, actor_id: str | None = None) -> dict[str, str]:
        """A caller's credentials: a token signed with the system's key."""
        actor = Actor(role=role, id=actor_id or role)
        token = issue(self.keys[0].read_bytes(), actor, user_id=f"bench-{role}", name="bench")
        return {"Authorization": f"Bearer {token}"}

    def processes(self) -> list[str]:
        """Every service process: `intake` is the first replica, `intake-2` the second."""
        return [
            name if r == 1 else f"{name}-{r}"
            for name in SERVICES
            for r in range(1, self.replicas + 1)
        ]

    @property
    def redis_url(self) -> str:
        return self.cluster_url or f"redis://127.0.0.1:{self.redis_port}/0"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def intake_urls(self) -> list[str]:
        return [self.url(key) for key in self.processes() if key.split("-")[0] == "intake"]

    def service_pids(self) -> list[int]:
        return [p.pid for key, p in self.procs.items() if key in self.processes()]

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
                "STREAM_PARTITIONS": str(self.partitions),
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
        if self.cluster:
            from waystation.bench.cluster import LocalCluster

            self._cluster = LocalCluster(self.folder / "redis-cluster")
            self.cluster_url = self._cluster.start()
            self.redis_pids = self._cluster.pids
        else:
            self._start_redis()
        self._start_sink()
        env = self.env()
        # Every process at once but the second dispatch, which waits for the first: two
        # dispatch processes seeding one fresh database at the same moment collide on the seeds.
        later = [key for key in self.processes() if key.startswith("dispatch-")]
        for key in self.processes():
            if key not in later:
                self.start_service(key, env)
        if later:
            self.wait_ready("dispatch")
        for key in later:
            self.start_service(key, env)
        for key in self.processes():
            self.wait_ready(key)

    def _start_redis(self) -> None:
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
        self.redis_pids = [self.procs["redis"].pid]

    def _start_sink(self) -> None:
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

    def wait_ready(self, name: str) -> None:
        # Eight processes importing and migrating at once on two busy cores take a while.
        timeout = 60 * self.replicas
        _wait(lambda: httpx.get(f"{self.url(name)}/readyz").status_code == 200, timeout, name)

    def start_service(self, key: str, env: dict[str, str] | None = None) -> None:
        """Start the process `key` (a service's name, or `name-r` for its r-th replica)."""
        name = key.split("-")[0]
        env = dict(env or self.env())
        env[f"{name.upper()}_HTTP_PORT"] = str(self.ports[key])
        log = (self.folder / f"{key}.log").open("ab")
        self.procs[key] = subprocess.Popen(
            [sys.executable, "-m", "waystation.cli", "serve", name],
            env=env,
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
        for name in self.processes():
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
        for name in (*self.processes(), "sink", "redis"):
            self.stop_service(name)
        if self.cluster and hasattr(self, "_cluster"):
            self._cluster.stop()
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            for db in self.databases.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}" WITH (FORCE)')
