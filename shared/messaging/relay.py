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
# The idle poll's look (one statement, atomic on its own): no BEGIN and COMMIT round trips.
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


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
        self._claim: sa.Update | None = None  # PostgreSQL's, built at first use
        self._next = (
            sa.select(*self._columns())
            .where(self._outbox.c.published_at.is_(None))
            .order_by(self._outbox.c.seq)
            .limit(self._batch_size)
        )
        self._probe = (
            sa.select(self._outbox.c.seq).where(self._outbox.c.published_at.is_(None)).limit(1)
        )

    def wake(self) -> None:
        self._wakeup.set()

    def _columns(self) -> tuple[sa.ColumnElement[object], ...]:
        o = self._outbox
        return (o.c.seq, o.c.stream, o.c.event_type, o.c.case_id, o.c.body, o.c.traceparent)

    def _claim_statement(self) -> sa.Update:
        """PostgreSQL: the next rows to publish, marked published, under the relay's lock, in
        one statement (BEGIN, this, COMMIT once published: three round trips, not five).

        The lock is an uncorrelated scalar subquery: PostgreSQL runs it once, as an InitPlan
        gating the scan (a "One-Time Filter"), so a relay that does not get it reads nothing.
        The statement's snapshot is taken before the lock: a row another relay published and
        committed in between still looks unpublished in it, so the outer `published_at IS
        NULL` is there for the UPDATE's re-check of each row's latest committed version, which
        skips it (never published twice by this race). The rows are marked before they are
        sent, in the transaction that commits only after the send: a failed send rolls the
        mark back (at least once, as before)."""
        o = self._outbox
        lock = sa.select(
            sa.func.pg_try_advisory_xact_lock(self._lock_key, type_=sa.Boolean)
        ).scalar_subquery()
        nxt = (
            sa.select(o.c.seq)
            .where(o.c.published_at.is_(None), lock)
            .order_by(o.c.seq)
            .limit(self._batch_size)
        )
        return (
            sa.update(o)
            .where(o.c.seq.in_(nxt), o.c.published_at.is_(None))
            .values(published_at=sa.bindparam("now", type_=o.c.published_at.type))
            .returning(*self._columns())
        )

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows were published."""
        async with self._sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                if self._claim is None:
                    self._claim = self._claim_statement()
                claimed = (await session.execute(self._claim, {"now": utc_now()})).all()
                rows = sorted(claimed, key=lambda r: r.seq)  # RETURNING keeps no order
                marked = True
            else:  # SQLite: one writer at a time anyway; mark after the send (no write lock
                # held while publishing), as before
                rows = list((await session.execute(self._next, {})).all())
                marked = False
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
            if not marked:
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

    async def _pending(self) -> bool:
        """Whether any row waits, read in one statement without a transaction around it."""
        async with self._sessions() as session:
            await session.connection(execution_options=_AUTOCOMMIT)
            return (await session.execute(self._probe)).first() is not None

    async def run(self) -> None:
        """Relay forever: drain, then wait for a commit or the poll interval; back off on errors.

        A wake-up (a commit here) runs a pass at once; the poll interval's pass (for rows
        another process committed) first looks whether any row waits, so an idle service's
        poll is one statement, not a transaction of three."""
        failures = 0
        woken = True
        while True:
            try:
                published = await self.relay_once() if woken or await self._pending() else 0
                failures = 0
            except Exception as exc:  # Redis or the database is away: retry, never die
                failures += 1
                delay = min(0.2 * 2**failures, 10.0)
                log.warning("outbox_relay_failed", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                woken = True  # a failed pass may have left rows: a whole pass again
                continue
            if published >= self._batch_size:
                continue
            self._wakeup.clear()
            woken = False
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation
            # that races with the wake-up (a commit), and stopping the service then hangs.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._wakeup.wait()
                    woken = True
