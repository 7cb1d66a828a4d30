"""Outbox relay: publishes committed outbox rows to Redis in order, after commit and restart."""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.messaging.partitions import stream_for_case
from shared.messaging.tables import KitTables
from shared.platform.clock import utc_now
from shared.platform.metrics import ServiceMetrics

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class OutgoingEvent:
    seq: int
    stream: str
    event_type: str
    case_id: str
    correlation_id: str
    body: str
    traceparent: str | None = None


Publish = Callable[[Sequence[OutgoingEvent]], Awaitable[None]]


class OutboxRelay:
    """Moves unpublished outbox rows to their streams; at-least-once, consumers dedupe."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: KitTables,
        publish: Publish,
        *,
        service: str,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        metrics: ServiceMetrics | None = None,
        partitions: int = 1,
    ) -> None:
        self._metrics = metrics
        # The partition is chosen here, at publish time, not when the row committed: rows
        # committed before N changed go to a partition that the consumers now read.
        self._partitions = partitions
        self._sessions = sessions
        self._outbox = tables.outbox
        self._publish = publish
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wakeup = asyncio.Event()
        # One relay at a time per service database keeps the stream in commit order.
        self._lock_key = zlib.crc32(f"waystation.relay.{service}".encode())
        self.published_total = 0

    def wake(self) -> None:
        self._wakeup.set()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows were published."""
        async with self._sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                got = await session.execute(
                    sa.select(sa.func.pg_try_advisory_xact_lock(self._lock_key))
                )
                if not got.scalar():
                    return 0
            rows = (
                await session.execute(
                    sa.select(
                        self._outbox.c.seq,
                        self._outbox.c.stream,
                        self._outbox.c.event_type,
                        self._outbox.c.case_id,
                        self._outbox.c.body,
                        self._outbox.c.traceparent,
                    )
                    .where(self._outbox.c.published_at.is_(None))
                    .order_by(self._outbox.c.seq)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            events = [
                OutgoingEvent(
                    r.seq,
                    stream_for_case(r.stream, r.case_id, self._partitions),
                    r.event_type,
                    str(r.case_id),
                    str(orjson.loads(r.body).get("correlation_id", r.case_id)),
                    r.body,
                    r.traceparent,
                )
                for r in rows
            ]
            # Lines logged while publishing name the batch's first case.
            with structlog.contextvars.bound_contextvars(
                case_id=events[0].case_id,
                correlation_id=events[0].correlation_id,
                batch_size=len(events),
            ):
                await self._publish(events)
            await session.execute(
                sa.update(self._outbox)
                .where(self._outbox.c.seq.in_([e.seq for e in events]))
                .values(published_at=utc_now())
            )
        self.published_total += len(events)
        if self._metrics is not None:
            for e in events:
                self._metrics.published.labels(e.event_type).inc()
        return len(events)

    async def run(self) -> None:
        """Relay forever: drain, then wait for a commit or the poll interval; back off on errors."""
        failures = 0
        while True:
            try:
                published = await self.relay_once()
                failures = 0
            except Exception as exc:  # Redis or the database is away: retry, never die
                failures += 1
                delay = min(0.2 * 2**failures, 10.0)
                log.warning("outbox_relay_failed", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                continue
            if published >= self._batch_size:
                continue
            self._wakeup.clear()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation
            # that races with the wake-up (a commit), and stopping the service then hangs.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._wakeup.wait()
