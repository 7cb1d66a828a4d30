"""Unit of work: the state change, its outbox rows and processed-event records commit as one."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.envelope import Envelope, new_event
from shared.contracts.raised import Raised
from shared.contracts.streams import stream_of
from shared.messaging.sequence import reserve_many
from shared.messaging.tables import KitTables
from shared.platform.clock import SYSTEM_CLOCK, Clock, utc_now
from shared.platform.tracing import current_traceparent


class UnitOfWork:
    """One transaction. `emit` queues events; `commit` writes them to the outbox atomically."""

    session: AsyncSession

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: KitTables,
        *,
        producer: str,
        on_commit: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._tables = tables
        self._producer = producer
        self._on_commit = on_commit
        self._events: list[Envelope] = []
        self._processed: list[tuple[Envelope, str]] = []
        self._traceparents: dict[uuid.UUID, str | None] = {}
        self._after_commit: list[Callable[[], None]] = []
        self.committed_events: list[Envelope] = []

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._events = []
        self._processed = []
        self._after_commit = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._after_commit = []
        await self.session.rollback()
        await self.session.close()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once this transaction has committed; never if it rolls back.

        For waking a local worker that polls the rows just written (not for I/O: it runs
        inline, after the commit, and an exception from it is the caller's bug)."""
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    def now(self) -> datetime:
        """The service's time (a training clock's, when one runs) for the events it stamps."""
        return (self._clock or SYSTEM_CLOCK).now()

    def emit(self, envelope: Envelope) -> None:
        if envelope.producer != self._producer:
            raise ValueError(f"{self._producer} cannot emit {envelope.producer}'s events")
        self._events.append(envelope)
        if self._on_commit is not None:
            self.after_commit(self._on_commit)  # e.g. wake the relay once the events commit
        # The span current now (a request, or the event being applied) is the event's parent.
        self._traceparents[envelope.event_id] = current_traceparent()

    def emit_raised(
        self,
        raised: list[Raised],
        *,
        case_id: uuid.UUID,
        cause: Envelope | None = None,
        causation_id: uuid.UUID | None = None,
        at: datetime | None = None,
    ) -> list[Envelope]:
        """Queue, in order, the events an aggregate raised, as this service's, stamped now
        (or `at`: the time the service's own clock gave the step); the envelopes queued."""
        queued = [
            new_event(
                event.event_type,
                event.payload,
                case_id=case_id,
                actor=event.actor,
                producer=self._producer,
                cause=cause,
                causation_id=causation_id,
                occurred_at=at or self.now(),
            )
            for event in raised
        ]
        for envelope in queued:
            self.emit(envelope)
        return queued

    async def seen(self, event_id: uuid.UUID) -> bool:
        """True when this service already applied the event."""
        table = self._tables.processed
        found = await self.session.execute(
            sa.select(table.c.event_id).where(table.c.event_id == event_id)
        )
        return found.first() is not None

    def record_processed(self, envelope: Envelope, stream_entry: str = "") -> None:
        self._processed.append((envelope, stream_entry))

    @property
    def tables(self) -> KitTables:
        return self._tables

    async def _number(self, events: list[Envelope]) -> list[Envelope]:
        """Give each event its place in its case's sequence (row-locks each case's counter)."""
        counts: dict[uuid.UUID, int] = {}
        for e in events:
            counts[e.case_id] = counts.get(e.case_id, 0) + 1
        nxt = await reserve_many(self.session, self._tables.case_sequence, counts)
        numbered = []
        for e in events:
            numbered.append(e.model_copy(update={"sequence": nxt[e.case_id]}))
            nxt[e.case_id] += 1
        return numbered

    async def commit(self) -> None:
        now = utc_now()  # the outbox row's own stamp, wall time
        if self._events:
            self._events = await self._number(self._events)
            await self.session.execute(
                sa.insert(self._tables.outbox),
                [
                    {
                        "event_id": e.event_id,
                        "stream": stream_of(self._producer),
                        "event_type": e.event_type,
                        "case_id": e.case_id,
                        "body": e.model_dump_json(),
                        "created_at": now,
                        "traceparent": self._traceparents.get(e.event_id),
                    }
                    for e in self._events
                ],
            )
        if self._processed:
            await self.session.execute(
                sa.insert(self._tables.processed),
                [
                    {
                        "event_id": e.event_id,
                        "event_type": e.event_type,
                        "stream_entry": entry,
                        "processed_at": now,
                    }
                    for e, entry in self._processed
                ],
            )
        await self.session.commit()
        self.committed_events = list(self._events)
        self._events, self._processed, self._traceparents = [], [], {}
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()
