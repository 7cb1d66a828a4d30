"""The four services and the console as processes on loopback, with a real SMTP server and
webhook receiver."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from tests.polling import eventually
from waystation.bench.ports import free_port, free_ports

SERVICES = ("intake", "mediation", "dispatch", "notify")
# The console has no database: it reads and acts through the four services' HTTP APIs.
PROCESSES = (*SERVICES, "console")


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    key: str | None
    message_id: str | None = None


@dataclass
class Hook:
    path: str
    key: str | None
    body: dict[str, Any]


def _header(msg: Any, name: str) -> str | None:
    """A header's value; a long one is folded onto its own line, whose indent is not part of it."""
    value = msg.get(name)
    return str(value).strip() if value is not None else None


class _SmtpHandler:
    def __init__(self, sink: Sinks) -> None:
        self.sink = sink

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
        with self.sink.lock:
            self.sink.mails.append(
                Mail(
                    list(envelope.rcpt_tos),
                    str(msg["subject"]),
                    part.get_content() if part else "",
                    _header(msg, "X-Waystation-Idempotency-Key"),
                    _header(msg, "Message-ID"),
                )
            )
        return "250 OK"


@dataclass
class Sinks:
    mails: list[Mail] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    smtp_port: int = 0
    webhook_port: int = 0
    fail_hooks_with: int | None = None  # answer webhooks with this status while set

    def start(self) -> None:
        self.smtp_port = free_port()
        self._smtp = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.smtp_port)
        self._smtp.start()
        sink = self

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                status = sink.fail_hooks_with or 200
                if status == 200:
                    with sink.lock:
                        sink.hooks.append(
                            Hook(self.path, self.headers.get("Idempotency-Key"), body)
                        )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self.webhook_port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._smtp.stop()
        self._http.shutdown()

    def mails_to(self, address: str) -> list[Mail]:
        with self.lock:
            return [m for m in self.mails if address in m.to]

    def hooks_at(self, path: str) -> list[Hook]:
        with self.lock:
            return [h for h in self.hooks if h.path == path]


class System:
    """Start, reach and stop the four services and the console; logs go to files under `folder`."""

    def __init__(
        self, folder: Path, redis_url: str, database_urls: dict[str, str], sinks: Sinks
    ) -> None:
        self.folder = folder
        self.redis_url = redis_url
        self.ports = dict(zip(PROCESSES, free_ports(len(PROCESSES)), strict=True))
        channels = folder / "channels.json"
        hook = f"json://127.0.0.1:{sinks.webhook_port}"
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
        self.env = dict(os.environ)
        self.env.update({"REDIS_URL": redis_url, "WAYSTATION_DATA_DIR": str(folder / "data")})
        for name in SERVICES:
            prefix = name.upper()
            self.env[f"{prefix}_HTTP_PORT"] = str(self.ports[name])
            self.env[f"{prefix}_DATABASE_URL"] = database_urls[name]
            self.env[f"{prefix}_RECLAIM_IDLE_MS"] = "1500"
            self.env[f"{prefix}_RELAY_POLL_INTERVAL"] = "0.2"
        # The console reads the four services over HTTP.
        self.env["CONSOLE_HTTP_PORT"] = str(self.ports["console"])
        for name in SERVICES:
            self.env[f"CONSOLE_{name.upper()}_URL"] = f"http://127.0.0.1:{self.ports[name]}"
        # Tracking links name intake's address; intake asks mediation about read grants.
        self.env["INTAKE_SELF_URL"] = f"http://127.0.0.1:{self.ports['intake']}"
        self.env["INTAKE_MEDIATION_URL"] = f"http://127.0.0.1:{self.ports['mediation']}"
        # The rider's page books rewards through dispatch's points exchange.
        self.env["INTAKE_DISPATCH_URL"] = f"http://127.0.0.1:{self.ports['dispatch']}"
        # A session held at a station takes its address from dispatch's public station API.
        self.env["MEDIATION_DISPATCH_URL"] = f"http://127.0.0.1:{self.ports['dispatch']}"
        self.env["NOTIFY_SMTP_URL"] = (
            f"mailto://127.0.0.1:{sinks.smtp_port}?from=noreply@waystation.test"
        )
        self.env["NOTIFY_CHANNEL_DIRECTORY_FILE"] = str(channels)
        self.env["NOTIFY_BACKOFF_BASE_SECONDS"] = "0.5"
        # Every test client calls from 127.0.0.1; the limits are tested on their own.
        self.env["INTAKE_PUBLIC_POSTS_PER_MINUTE"] = "100000"
        self.env["INTAKE_LOGIN_PER_MINUTE"] = "10000"
        # The sinks listen on loopback, which the SSRF guard refuses unless allowed.
        self.env["NOTIFY_ALLOWED_WEBHOOK_HOSTS"] = "127.0.0.1"
        # The flows assert deliveries at once, whatever the hour in Shanghai.
        self.env["NOTIFY_QUIET_HOURS_START"] = "00:00"
        self.env["NOTIFY_QUIET_HOURS_END"] = "00:00"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, name: str) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "waystation.cli", "serve", name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_all(self, *, console: bool = True) -> None:
        names = PROCESSES if console else SERVICES
        for name in names:
            self.start(name)
        for name in names:
            self.wait_ready(name)

    def wait_ready(self, name: str, timeout: float = 180) -> None:
        # Generous: four services importing and migrating at once on two busy cores can take
        # over a minute; a healthy start returns as soon as /readyz answers.
        def ready() -> bool:
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.log(name)[-3000:]}")
            try:
                return httpx.get(f"{self.url(name)}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        eventually(ready, timeout)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def stop_all(self) -> None:
        for name in PROCESSES:
            if name in self.procs:
                self.stop(name)

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs.values())
