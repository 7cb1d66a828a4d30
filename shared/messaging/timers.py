"""Durable timers: each (case, kind, due time) fires exactly once, with any number of replicas.

A timer row is scheduled in the same transaction as the state change that starts it. The
scheduler claims a due row with a conditional UPDATE (only one replica can flip `fired_at`
from NULL) and runs the handler in that same transaction, so the event it emits and the
firing commit together or not at all; after a crash the row is simply still due.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import structlog

from shared.messaging.held import hold_for_commit, write_held
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock
from shared.platform.db import conflict_insert

log = structlog.get_logger(__name__)
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


def timer_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "timer",
        metadata,
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("case_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("case_id", "kind", "due_at", name="uq_timer_case_kind_due"),
        sa.Index(
            "ix_timer_due",
            "due_at",
            postgresql_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL"),
            sqlite_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL"),
        ),
    )


@dataclass(frozen=True)
class Timer:
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    due_at: datetime
    data: dict[str, Any]


async def schedule(
    uow: UnitOfWork,
    table: sa.Table,
    case_id: uuid.UUID,
    kind: str,
    due_at: datetime,
    data: dict[str, Any] | None = None,
) -> bool:
    """Schedule once; the same (case, kind, due time) scheduled again is a no-op."""
    return await schedule_many(uow, table, case_id, [(kind, due_at, data)]) == 1


async def schedule_many(
    uow: UnitOfWork,
    table: sa.Table,
    case_id: uuid.UUID,
    timers: Sequence[tuple[str, datetime, dict[str, Any] | None]],
) -> int:
    """Schedule a case's timers in one statement; returns how many were new.

    `INSERT … ON CONFLICT DO NOTHING` on (case, kind, due time): one round trip for all of
    them instead of a look-up and an insert each (a dispatched hazard starts up to a dozen).
    """
    if not timers:
        return 0
    insert = conflict_insert(uow.session.get_bind().dialect.name)
    rows = _rows(case_id, timers)
    # Rows as parameters, not `.values(rows)`: a multi-VALUES statement carries its rows as
    # bound literals and is compiled afresh every time (SQLAlchemy cannot cache it), which
    # was most of dispatch's CPU per hazard; this one compiles once and SQLAlchemy batches the
    # rows into one INSERT ("insertmanyvalues"). RETURNING counts the rows that were new.
    stmt = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["case_id", "kind", "due_at"])
        .returning(table.c.id)
    )
    # The timer table is Core only: nothing pending in the session can change what this
    # statement does, so it need not flush the transaction's ORM changes first. (A flush per
    # event defeats the batch's single flush, where SQLAlchemy inserts many rows at once.)
    with uow.session.no_autoflush:
        result = await uow.session.execute(stmt, rows)
    return len(result.all())


def _rows(
    case_id: uuid.UUID, timers: Sequence[tuple[str, datetime, dict[str, Any] | None]]
) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "case_id": case_id,
            "kind": kind,
            "due_at": stored_time(at),
            "data": data or {},
        }
        for kind, at, data in timers
    ]


@functools.cache
def _insert_new(table: sa.Table, dialect: str) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING` on (case, kind, due time), built once per table."""
    return conflict_insert(dialect)(table).on_conflict_do_nothing(
        index_elements=["case_id", "kind", "due_at"]
    )


async def schedule_at_commit(
    uow: UnitOfWork,
    table: sa.Table,
    case_id: uuid.UUID,
    timers: Sequence[tuple[str, datetime, dict[str, Any] | None]],
) -> None:
    """Schedule a case's timers with the transaction's commit, as `schedule_many` would.

    A batch of events starts a dozen timers per event; held until the commit
    (`shared/messaging/held.py`), all of the batch's timers go in one statement instead of
    one round trip per event. Nothing is counted (use `schedule_many` for that). `cancel`
    writes them first, so a cancel later in the same transaction still finds them.
    """
    if not timers:
        return
    stmt = _insert_new(table, uow.session.get_bind().dialect.name)
    if not hold_for_commit(uow.session, stmt, _rows(case_id, timers)):
        await schedule_many(uow, table, case_id, timers)


async def cancel(
    uow: UnitOfWork, table: sa.Table, case_id: uuid.UUID, kinds: tuple[str, ...], at: datetime
) -> None:
    """Cancel the case's pending timers of these kinds (e.g. mediation ended in time)."""
    # Those held for the commit are pending too.
    await write_held(uow.session, _insert_new(table, uow.session.get_bind().dialect.name))
    with uow.session.no_autoflush:  # Core table: see schedule_many
        await uow.session.execute(
            sa.update(table)
            .where(
                table.c.case_id == case_id,
                table.c.kind.in_(kinds),
                table.c.fired_at.is_(None),
                table.c.cancelled_at.is_(None),
            )
            .values(cancelled_at=stored_time(at))
        )


def stored_time(at: datetime) -> datetime:
    """A due time as stored: in UTC, so SQLite (which drops the zone) compares it rightly.

    A 09:00 Shanghai warning stored as its wall time would read as 09:00 UTC on SQLite and
    fire eight hours late; every key and comparison goes through here.
    """
    return at.astimezone(UTC) if at.tzinfo is not None else at


TimerHandler = Callable[[Timer, UnitOfWork], Awaitable[None]]


class TimerScheduler:
    def __init__(
        self,
        table: sa.Table,
        new_uow: Callable[[], UnitOfWork],
        handler: TimerHandler,
        clock: Clock,
        *,
        poll_interval: float = 1.0,
        batch: int = 100,
    ) -> None:
        self._table = table
        self._new_uow = new_uow
        self._handler = handler
        self._clock = clock
        self._poll = poll_interval
        self._batch = batch
        self.fired_total = 0

    async def due(self) -> list[Timer]:
        t = self._table
        async with self._new_uow() as uow:
            # One statement, atomic on its own, every poll interval even when nothing is due:
            # no transaction around it (no BEGIN and ROLLBACK round trips).
            await uow.session.connection(execution_options=_AUTOCOMMIT)
            rows = await uow.session.execute(
                sa.select(t.c.id, t.c.case_id, t.c.kind, t.c.due_at, t.c.data)
                .where(
                    t.c.fired_at.is_(None),
                    t.c.cancelled_at.is_(None),
                    t.c.due_at <= stored_time(self._clock.now()),
                )
                .order_by(t.c.due_at)
                .limit(self._batch)
            )
            return [Timer(r.id, r.case_id, r.kind, r.due_at, dict(r.data)) for r in rows]

    async def fire(self, timer: Timer) -> bool:
        """Claim and handle one timer in one transaction; False if another replica had it."""
        t = self._table
        async with self._new_uow() as uow:
            claimed = await uow.session.execute(
                sa.update(t)
                .where(t.c.id == timer.id, t.c.fired_at.is_(None), t.c.cancelled_at.is_(None))
                .values(fired_at=stored_time(self._clock.now()))
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return False
            await self._handler(timer, uow)
            await uow.commit()
        self.fired_total += 1
        return True

    async def run_once(self) -> int:
        fired = 0
        for timer in await self.due():
            try:
                fired += int(await self.fire(timer))
            except Exception as exc:  # one broken timer must not stop the others
                log.error("timer_failed", timer=str(timer.id), kind=timer.kind, error=repr(exc))
        return fired

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as exc:
                log.warning("timer_scheduler_failed", error=str(exc))
            await asyncio.sleep(self._poll)
