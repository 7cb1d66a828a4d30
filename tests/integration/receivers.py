"""Real receivers on loopback for notify's channels: an SMTP server and an HTTP endpoint that
answers as scripted (fail N times, then recover; or refuse with a 4xx)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.infra import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int
    peer: int = 0  # the client's port: the same one twice is one kept-alive connection


@dataclass
class HttpReceiver:
    """Records every POST; `script[path]` lists the statuses to answer before answering 200."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def at(self, path: str, status: int | None = 200) -> list[Received]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r.path.split("?")[0] == path and (status is None or r.status == status)
            ]


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    key: str | None
    message_id: str | None = None


@dataclass
class SmtpReceiver:
    """Accepts mail; refuses recipients whose local part is `nobody` with 550 (no such user)."""

    port: int = 0
    mails: list[Mail] = field(default_factory=list)

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]


def _header(msg: Any, name: str) -> str | None:
    """A header's value; a long one is folded onto its own line, whose indent is not part of it."""
    value = msg.get(name)
    return str(value).strip() if value is not None else None


class _SmtpHandler:
    def __init__(self, sink: SmtpReceiver) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:  # noqa: N802
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
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


@contextmanager
def http_receiver(keep_alive: bool = False) -> Iterator[HttpReceiver]:
    sink = HttpReceiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            path = self.path.split("?")[0]
            with sink.lock:
                queue = sink.script.get(path) or []
                status = queue.pop(0) if queue else 200
                sink.requests.append(
                    Received(
                        self.path,
                        dict(self.headers.items()),
                        json.loads(raw or b"{}"),
                        status,
                        self.client_address[1],
                    )
                )
            answer = json.dumps({"code": 0, "errcode": 0, "msg": "ok"}).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def smtp_receiver() -> Iterator[SmtpReceiver]:
    sink = SmtpReceiver(port=free_port())
    controller = Controller(_SmtpHandler(sink), hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
