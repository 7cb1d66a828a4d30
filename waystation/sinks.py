"""Local notification sinks for `waystation run`: an SMTP server and a webhook receiver.

Newcomers see every message the system sends under data/sinks/ (mail.jsonl, webhook.jsonl)
without any real mail server or robot account.
"""

from __future__ import annotations

import asyncio
import json
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request

from shared.platform.clock import utc_now


class _MailToFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain", "html"))
        record = {
            "received_at": utc_now().isoformat(),
            "to": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "idempotency_key": msg.get("X-Waystation-Idempotency-Key"),
            "body": body.get_content() if body else "",
        }
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def webhook_app(path: Path) -> FastAPI:
    app = FastAPI(title="Waystation demo webhook sink")

    @app.post("/{hook:path}")
    async def receive(hook: str, request: Request) -> dict[str, str]:
        record = {
            "received_at": utc_now().isoformat(),
            "hook": hook,
            "idempotency_key": request.headers.get("idempotency-key"),
            "body": json.loads(await request.body() or b"{}"),
        }
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return {"status": "ok"}

    return app


def run_sinks(folder: Path, smtp_port: int, webhook_port: int) -> None:
    import uvicorn

    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        _MailToFile(folder / "mail.jsonl"), hostname="127.0.0.1", port=smtp_port
    )
    controller.start()
    try:
        config = uvicorn.Config(
            webhook_app(folder / "webhook.jsonl"),
            host="127.0.0.1",
            port=webhook_port,
            log_level="warning",
        )
        asyncio.run(uvicorn.Server(config).serve())
    finally:
        controller.stop()
