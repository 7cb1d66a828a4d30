"""A whole system whose notices to phones leave through an SMS gateway (the webhook sink),
for the journeys whose people gave phones, not e-mail (J6, J12, the rider's pages)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis


@contextmanager
def sms_system(
    folder: Path, *, console: bool = True, env: Mapping[str, str] | None = None
) -> Iterator[tuple[System, Sinks]]:
    """Start the services (and the console) with SMS notices on, notify holding intake's key
    to read phones; `env` adds settings. Stopped, with its sinks, on leaving."""
    sinks = Sinks()
    sinks.start()
    databases = {n: f"sqlite+aiosqlite:///{folder / 'data' / f'{n}.db'}" for n in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        made = subprocess.run(
            [sys.executable, "-m", "waystation.cli", "apikey", "create"]
            + ["--name", "notify", "--service", "notify"],
            env=sut.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stdout + made.stderr[-3000:]
        sut.env |= {
            "NOTIFY_SMS_GATEWAY_URL": f"json://127.0.0.1:{sinks.webhook_port}/sms?:to={{phone}}",
            "NOTIFY_INTAKE_URL": sut.url("intake"),
            "NOTIFY_INTAKE_CLIENT_SECRET": made.stdout.strip().splitlines()[-1],
            "INTAKE_SMS_NOTICES": "true",
            **(env or {}),
        }
        try:
            sut.start_all(console=console)
            yield sut, sinks
        finally:
            sut.stop_all()
            sinks.stop()
