"""Notify's planner and delivery worker on a real database, driven event by event."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from redis.asyncio import Redis
from sqlmodel import col, select

from services.notify.adapters import sender
from services.notify.adapters.apprise_logging import quiet_apprise_logging
from services.notify.adapters.directory_file import ChannelDirectory
from services.notify.adapters.tables import KIT, Delivery
from services.notify.adapters.target_guard import TargetGuard
from services.notify.adapters.templates import Renderer
from services.notify.app import MIGRATIONS
from services.notify.domain.quiet_hours import QuietHours
from services.notify.entrypoints.events import handlers
from services.notify.service_layer import planning
from services.notify.service_layer.context import Context
from services.notify.service_layer.recipients import ChannelConfig
from services.notify.service_layer.sending import DeliveryWorker
from shared.contracts.envelope import Envelope, new_event
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import CaseFiled, DisputeDetails
from shared.messaging.consumer import ConsumerConfig, IdempotentConsumer
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import FrozenClock
from shared.platform.db import make_engine, make_sessions, upgrade_async

# 10:00 in Shanghai: outside the default quiet hours.
DAYTIME = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PRODUCERS = {"case.filed": "intake", "case.merged": "intake"}


def event(event_type: str, payload: BaseModel, case_id: uuid.UUID) -> Envelope:
    from shared.contracts.catalogue import CATALOGUE

    return new_event(event_type, payload, case_id=case_id, producer=CATALOGUE[event_type].producer)


def dispute_filed(
    case_id: uuid.UUID, *, email: str, respondent_email: str | None = None
) -> Envelope:
    parties = [
        PartyRef(
            role="complainant",
            party_id=f"c-{case_id.hex[:8]}",
            display_name="李某",
            email=email,
            phone_masked="138****5678",
        ),
        PartyRef(
            role="respondent",
            party_id=f"r-{case_id.hex[:8]}",
            display_name="沪青劳务外包有限公司",
            email=respondent_email,
        ),
    ]
    payload = CaseFiled(
        kind="dispute",
        tracking_code="WXYZ-2345",
        channel="officer",
        title="拖欠工资：沪青劳务外包有限公司",
        description="十月工资未发放",
        parties=parties,
        dispute=DisputeDetails(dispute_type="unpaid_wages", claim="支付工资8600元"),
    )
    return event("case.filed", payload, case_id)


class NotifyUnderTest:
    def __init__(
        self,
        database_url: str,
        redis_url: str,
        *,
        parties: dict[str, Any] | None = None,
        smtp_url: str | None = None,
        sms_gateway_url: str | None = None,
        guard: TargetGuard | None = None,
        send: Callable[..., Any] | None = None,
        quiet: QuietHours | None = None,
        poll_interval: float = 0.25,
        phones: Any = None,
        concurrency: int = 8,
    ) -> None:
        quiet_apprise_logging()  # as create_app does: needed to read SMTP reply codes
        self.url = database_url
        self.clock = FrozenClock(DAYTIME)
        self.engine = make_engine(database_url)
        self.sessions = make_sessions(self.engine)
        self.redis = Redis.from_url(redis_url)
        self.guard = guard or TargetGuard(allowed_hosts=["127.0.0.1"])
        self.planned = asyncio.Event()  # wired as create_app wires it
        self.ctx = Context(
            channels=ChannelConfig(
                directory=ChannelDirectory.model_validate({"parties": parties or {}}),
                smtp_url=smtp_url,
                sms_gateway_url=sms_gateway_url,
                rider_sms=phones is not None,
            ),
            renderer=Renderer(),
            public_url="https://ws.example",
            quiet_hours=quiet or QuietHours.parse("22:00", "07:00"),
            clock=self.clock,
            on_planned=self.planned.set,
        )
        self.consumer = IdempotentConsumer(
            ConsumerConfig(service="notify", instance="test"),
            handlers(self.ctx),
            self.uow,
            self.redis,
            prepare=planning.prepare,
        )
        # As create_app does: one Sender, its pooled client kept across deliveries.
        self.sender = sender.Sender()
        self.worker = DeliveryWorker(
            self.sessions,
            self.uow,
            send or self.sender.send,
            max_attempts=5,
            backoff_base=2.0,
            guard=self.guard,
            phones=phones,
            clock=self.clock,
            poll_interval=poll_interval,
            concurrency=concurrency,
            wakeup=self.planned,
        )

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, KIT, producer="notify")

    async def start(self) -> NotifyUnderTest:
        await upgrade_async(MIGRATIONS, self.url)
        return self

    async def stop(self) -> None:
        await self.sender.aclose()
        await self.redis.aclose()
        await self.engine.dispose()

    async def apply(self, envelope: Envelope) -> bool:
        return await self.consumer.apply(envelope)

    async def apply_batch(self, envelopes: list[Envelope]) -> int:
        """As a stream reader hands them over: one batch, one transaction when it is clean."""
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(envelopes)]
        return len(await self.consumer.apply_entries("waystation.intake", entries))

    async def deliveries(self, **where: Any) -> list[Delivery]:
        stmt = select(Delivery).order_by(col(Delivery.created_at), col(Delivery.idempotency_key))
        for name, value in where.items():
            stmt = stmt.where(getattr(Delivery, name) == value)
        async with self.sessions() as session:
            return list((await session.exec(stmt)).all())

    async def outbox(self, event_type: str) -> list[dict[str, Any]]:
        import json

        table = KIT.outbox
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(table.c.body).where(table.c.event_type == event_type)
            )
            return [json.loads(r[0]) for r in rows]

    async def send_due(self) -> int:
        """Run the worker until nothing is due at the current (frozen) time."""
        total = 0
        while (done := await self.worker.run_once()) > 0:
            total += done
        return total
