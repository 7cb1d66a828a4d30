"""`waystation run`: Redis, the four services, the console and the demo sinks, supervised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from shared.platform.settings import data_dir
from waystation.redis_source import RedisSource, resolve_redis
from waystation.services import PROCESSES

DEMO_CHANNELS = Path(__file__).parent / "data" / "demo-channels.json"
console = Console()


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)
        self.started_at = time.monotonic()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)


def _environment(redis: RedisSource, folder: Path, with_sinks: bool) -> dict[str, str]:
    env = dict(os.environ)
    env["REDIS_URL"] = redis.url
    env["WAYSTATION_DATA_DIR"] = str(folder)
    # A local run is development: the training clock is on (`waystation demo --days 16`),
    # unless a service is told it is production, where it would refuse to start.
    if not any(k.endswith("_ENVIRONMENT") and v == "production" for k, v in env.items()):
        env.setdefault("WAYSTATION_TRAINING_CLOCK", "true")
    if with_sinks:
        env.setdefault("NOTIFY_SMTP_URL", "mailto://127.0.0.1:8025?from=noreply@waystation.local")
        env.setdefault("NOTIFY_CHANNEL_DIRECTORY_FILE", str(DEMO_CHANNELS))
        # The demo sinks listen on loopback: allow exactly that host past the SSRF guard.
        env.setdefault("NOTIFY_ALLOWED_WEBHOOK_HOSTS", "127.0.0.1")
        # The demo shows every message at once, whatever the hour (no quiet hours).
        env.setdefault("NOTIFY_QUIET_HOURS_START", "00:00")
        env.setdefault("NOTIFY_QUIET_HOURS_END", "00:00")
    return env


def run_all(services: list[str], with_sinks: bool = True) -> None:
    """Start everything, restart what dies, stop everything on Ctrl-C."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    redis = resolve_redis(os.environ.get("REDIS_URL"), folder / "redis")
    console.print(f"[bold]Redis[/bold] ({redis.origin}): {redis.url}")
    env = _environment(redis, folder, with_sinks)
    children = [
        Child(name, [sys.executable, "-m", "waystation.cli", "serve", name], env)
        for name in services
    ]
    if with_sinks:
        children.append(Child("sinks", [sys.executable, "-m", "waystation.cli", "sinks"], env))
    for child in children:
        child.start()
    for name in services:
        port = os.environ.get(f"{name.upper()}_HTTP_PORT", str(PROCESSES[name].default_port))
        page = "/console" if name == "console" else "/docs"
        console.print(f"  [green]{name:<10}[/green] http://127.0.0.1:{port}{page}")
    if with_sinks:
        console.print(f"  [green]{'sinks':<10}[/green] mail and webhooks -> {folder / 'sinks'}")
    console.print("Ctrl-C stops everything. Try: [bold]waystation demo[/bold]")
    stopping = False

    def _stop(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for child in children:
                if child.proc and child.proc.poll() is not None and not stopping:
                    child.restarts += 1
                    console.print(
                        f"[yellow]{child.name} exited ({child.proc.returncode}); "
                        f"restarting[/yellow]"
                    )
                    time.sleep(min(0.5 * child.restarts, 5))
                    child.start()
            time.sleep(0.3)
    finally:
        for child in children:
            child.stop()
        deadline = time.monotonic() + 10
        for child in children:
            if child.proc:
                try:
                    child.proc.wait(max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    child.proc.kill()
        redis.close()
        console.print("stopped")
