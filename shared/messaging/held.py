"""Rows held for the commit: many small inserts of a batch written as one executemany.

A batch of events appends rows (timers, history entries) one event at a time; written as they
come, each event costs a round trip per table. Held in the session until its transaction
commits, they go as parameters of one cached statement (SQLAlchemy sends one multi-row INSERT
per page). They are written before the commit's own flush, in the same transaction: the state
change and its rows still commit together or not at all.

Only for tables no ORM query reads in the same transaction (Core tables, append-only logs):
whoever reads one there calls `write_held` first.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.platform.db import transaction_memo

_HELD = "rows_held_for_commit"
_HOOKED = "rows_held_for_commit_hooked"


def hold_for_commit(session: AsyncSession, stmt: sa.Executable, rows: list[dict[str, Any]]) -> bool:
    """Hold `rows` for `stmt` (built once: it is the key) until the commit.

    False outside a transaction: nothing is held, the caller writes them itself."""
    if session.sync_session.get_transaction() is None:
        return False
    held: dict[sa.Executable, list[dict[str, Any]]] = transaction_memo(session, _HELD)
    held.setdefault(stmt, []).extend(rows)
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        sa.event.listen(session.sync_session, "before_commit", _write_all)
    return True


def _write_all(sync_session: Session) -> None:
    """before_commit (inside the commit's greenlet): the held rows join the transaction."""
    memo = sync_session.info.get(_HELD)
    if memo is None or memo[0] is not sync_session.get_transaction():
        return  # held by a transaction that rolled back: dropped with it
    held = memo[1]
    with sync_session.no_autoflush:
        while held:
            stmt = next(iter(held))
            rows = held.pop(stmt)
            sync_session.execute(stmt, rows)


async def write_held(session: AsyncSession, stmt: sa.Executable) -> None:
    """Write now what is held for `stmt` (before reading or changing its table)."""
    if session.sync_session.get_transaction() is None:
        return
    rows = transaction_memo(session, _HELD).pop(stmt, None)
    if rows:
        with session.no_autoflush:
            await session.execute(stmt, rows)
