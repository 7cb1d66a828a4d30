"""Intake served by uvicorn on a free port, for tests that speak real HTTP to it."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from pydantic import BaseModel
from sqlalchemy import select

from services.intake.app import create_app
from services.intake.config import IntakeSettings
from services.intake.service_layer.apikeys import create_key
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.platform.clock import FrozenClock
from shared.platform.runtime import ServiceRuntime
from tests.infra import free_port


@dataclass
class Intake:
    url: str
    runtime: ServiceRuntime
    clock: FrozenClock
    _sequences: dict[str, int] = field(default_factory=dict)

    async def api_key(self, name: str, department_id: str | None = None) -> str:
        async with self.runtime.sessions() as session:
            _row, plain = await create_key(session, name, department_id)
        return plain

    def dispatch_event(self, case_id: str, event_type: str, payload: BaseModel) -> Envelope:
        """A dispatch event about the case, numbered in its case's order as dispatch would."""
        seq = self._sequences.get(case_id, 0) + 1
        self._sequences[case_id] = seq
        return new_event(
            event_type,
            payload,
            case_id=uuid.UUID(case_id),
            actor=Actor(role="department", id="zhaoxiang-road"),
            producer="dispatch",
            occurred_at=datetime.now(UTC),
        ).model_copy(update={"sequence": seq})

    async def dispatch_says(self, case_id: str, event_type: str, payload: BaseModel) -> Envelope:
        """Publish a dispatch event on its stream, as the dispatch service would."""
        env = self.dispatch_event(case_id, event_type, payload)
        await self.runtime.broker.publish(env.to_json(), stream="waystation.dispatch")
        return env

    async def outbox(self, case_id: str | None = None) -> list[dict[str, Any]]:
        """Events intake committed (its outbox), oldest first."""
        table = self.runtime.tables.outbox
        stmt = select(table.c.event_type, table.c.case_id, table.c.body).order_by(table.c.seq)
        async with self.runtime.sessions() as session:
            rows = (await session.execute(stmt)).all()
        return [
            {"event_type": r.event_type, "case_id": str(r.case_id), "body": r.body}
            for r in rows
            if case_id is None or str(r.case_id) == case_id
        ]


@contextlib.asynccontextmanager
async def serve_intake(
    database_url: str, redis_url: str, folder: Path, **overrides: Any
) -> AsyncIterator[Intake]:
    clock = FrozenClock(datetime.now(UTC))
    settings = IntakeSettings(
        database_url=database_url,
        redis_url=redis_url,
        attachments_dir=folder / "attachments",
        relay_poll_interval=0.1,
        log_json=False,
        # The suite files from one address far faster than a person would; the limits
        # themselves are tested with their own low settings. No dispatch unless a test gives
        # one (a closed port, not whatever may listen on dispatch's default port).
        **(
            {
                "public_posts_per_minute": 100_000,
                "login_per_minute": 10_000,
                "dispatch_url": f"http://127.0.0.1:{free_port()}",
            }
            | overrides
        ),
    )
    app = create_app(settings, clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 60
    while not server.started:
        if task.done():
            task.result()
        if time.monotonic() > deadline:
            raise TimeoutError("intake did not start")
        await asyncio.sleep(0.05)
    try:
        yield Intake(f"http://127.0.0.1:{port}", app.state.runtime, clock)
    finally:
        server.should_exit = True
        await task
