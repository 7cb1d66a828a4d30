"""Applying a batch of events in one transaction: the fast path of the idempotent consumer.

The kit's one set of apply rules (skip what was applied, keep each case's order, record
processed events with the state change), checked with one query each for the whole batch and
committed once; a one-by-one apply is a batch of one. Anything unusual (a gap in a case's
sequence, a handler error) rolls the batch back with `BatchNotClean`, caused by what the event
alone would raise (`RetryLater` for the gap, the handler's own error); the caller then applies
the events one by one, which isolates the event at fault.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa

from shared.contracts.envelope import Envelope
from shared.messaging.errors import RetryLater
from shared.messaging.scope import event_scope
from shared.messaging.sequence import advance_many, positions
from shared.messaging.uow import UnitOfWork

Handler = Callable[[Envelope, UnitOfWork], object]
# Called once per batch, before its handlers, with the events about to be handled: the place to
# load (and lock) the rows they will touch in one query instead of one per event. It may name
# events that cannot be applied yet (they wait for another stream): those, and the later events
# of their case, are left out of the batch and go the one-by-one way after it commits.
Prepare = Callable[[Sequence[Envelope], UnitOfWork], Awaitable[Collection[uuid.UUID] | None]]


class Applied(NamedTuple):
    handled: int
    left_out: list[str]  # entry ids to apply one by one (see Prepare)


class BatchNotClean(Exception):
    """The batch cannot be applied in one go; apply its events one by one."""


# PostgreSQL's deadlock_detected and serialization_failure: the database rolled the batch
# back to let a concurrent transaction through; the events one by one will pass.
_TRANSIENT = frozenset({"40P01", "40001"})


def transient(exc: BaseException) -> bool:
    """A database error that a retry of the same work resolves (deadlock, serialization)."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) in _TRANSIENT or getattr(orig, "pgcode", None) in (
        _TRANSIENT
    )


@cache
def _seen(processed: sa.Table) -> sa.Select[tuple[uuid.UUID]]:
    """Which of these events were processed: built once per table."""
    return sa.select(processed.c.event_id).where(
        processed.c.event_id.in_(sa.bindparam("ids", expanding=True))
    )


async def apply_batch(
    batch: list[tuple[str, Envelope]],
    handlers: Mapping[str, Handler],
    new_uow: Callable[[], UnitOfWork],
    *,
    service: str = "",
    traceparents: Mapping[str, str | None] | None = None,
    on_handled: Callable[[Envelope], None] | None = None,
    prepare: Prepare | None = None,
    scoped: bool = True,
) -> Applied:
    """Apply `(entry_id, envelope)` pairs in one transaction: how many were handled, and the
    entries left out for the one-by-one path.

    `traceparents` (entry id -> the producer's traceparent) puts each handler in its own span
    of its event's trace; `on_handled` is told of each event handled once the batch commits;
    `prepare` sees the batch's new events first (see `Prepare`); `scoped=False` when the
    caller already applies in the event's scope (a batch of one).
    """
    handled: list[Envelope] = []
    parents = traceparents or {}
    async with new_uow() as uow:
        # A sequenced event's redelivery is skipped by its case's applied position: the
        # position moves in the transaction that records the event processed, so an event
        # recorded processed is always at or below it. Only unsequenced events are looked up
        # among the processed ones; the processed INSERT's key is the last guard (a replica
        # that raced us: `concurrent apply` below).
        unsequenced = [e.event_id for _, e in batch if e.sequence is None]
        seen: set[uuid.UUID] = set()
        if unsequenced:
            found = await uow.session.execute(_seen(uow.tables.processed), {"ids": unsequenced})
            seen.update(found.scalars())
        keys = {(e.producer, e.case_id) for _, e in batch if e.sequence is not None}
        last = await positions(uow.session, uow.tables.applied_sequence, keys)
        waiting: set[uuid.UUID] = set()
        if prepare is not None:
            fresh = [
                e
                for _, e in batch
                if e.event_type in handlers
                and e.event_id not in seen
                and (e.sequence is None or e.sequence > last.get((e.producer, e.case_id), 0))
            ]
            try:
                if fresh:
                    waiting = set(await prepare(fresh, uow) or ())
            except Exception as exc:
                raise BatchNotClean(f"prepare: {exc!r}") from exc
        moved: dict[tuple[str, uuid.UUID], int] = {}
        held: set[tuple[str, uuid.UUID]] = set()  # cases whose next event waits
        left_out: list[str] = []
        for entry_id, envelope in batch:
            handler = handlers.get(envelope.event_type)
            key = (envelope.producer, envelope.case_id)
            current = moved.get(key, last.get(key, 0))
            if envelope.sequence is not None and envelope.sequence <= current:
                continue
            if key in held or envelope.event_id in waiting:
                held.add(key)  # its case's later events must not overtake it
                left_out.append(entry_id)
                continue
            if envelope.sequence is not None:
                if envelope.sequence > current + 1:
                    raise BatchNotClean(f"gap before {envelope.event_id}") from RetryLater(
                        f"{envelope.producer} event {envelope.sequence} of case "
                        f"{envelope.case_id} waits for {current + 1}"
                    )
                moved[key] = envelope.sequence
            if handler is None or envelope.event_id in seen:
                continue
            seen.add(envelope.event_id)
            uow.record_processed(envelope, entry_id)
            try:
                if scoped:
                    with event_scope(envelope, service, parents.get(entry_id)):
                        await handler(envelope, uow)  # type: ignore[misc]
                else:
                    await handler(envelope, uow)  # type: ignore[misc]
            except Exception as exc:
                raise BatchNotClean(f"{envelope.event_type}: {exc!r}") from exc
            handled.append(envelope)
        try:
            await advance_many(uow.session, uow.tables.applied_sequence, moved)
            await uow.commit()
        except sa.exc.IntegrityError as exc:  # another replica raced us on one of them
            race = RetryLater("concurrent apply of " + ", ".join(str(e.event_id) for _, e in batch))
            race.__cause__ = exc
            raise BatchNotClean("concurrent apply") from race
        except sa.exc.DBAPIError as exc:
            if transient(exc):
                raise BatchNotClean(f"transient: {exc.orig!r}") from exc
            raise
    if on_handled is not None:
        for envelope in handled:
            on_handled(envelope)
    return Applied(len(handled), left_out)
