"""Per-case event sequences: producers number each case's events, consumers apply them in order."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.platform.db import conflict_insert


def _upsert(session: AsyncSession) -> Any:
    return conflict_insert(session.get_bind().dialect.name)


# The two upserts every commit and every applied batch sends, built once per table and dialect
# (a handful in a process): building one is dearer than SQLAlchemy's compiled-cache look-up.
@cache
def _reserve(dialect: str, table: sa.Table) -> Any:
    insert = conflict_insert(dialect)(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c.case_id],
        set_={"last_seq": table.c.last_seq + insert.excluded.last_seq},
    ).returning(table.c.case_id, table.c.last_seq)


@cache
def _advance(dialect: str, table: sa.Table) -> Any:
    insert = conflict_insert(dialect)(table)
    # Forward only: a position never moves back (a replica that raced us with an older batch
    # of the case, of events it does not handle, cannot undo what we applied). Every event
    # recorded processed is at or below its case's position: a redelivery of a sequenced event
    # is known by its number alone (`batching.apply_batch`).
    return insert.on_conflict_do_update(
        index_elements=[table.c.producer, table.c.case_id],
        set_={"last_seq": insert.excluded.last_seq},
        where=table.c.last_seq < insert.excluded.last_seq,
    )


async def reserve_many(
    session: AsyncSession, table: sa.Table, counts: dict[uuid.UUID, int]
) -> dict[uuid.UUID, int]:
    """Reserve numbers for many cases' new events in one statement (row-locks each case).

    `counts` is case -> how many numbers; returns case -> the first of its reserved numbers.

    Rows go in case order (row locks taken in one order: no deadlock between two committers)
    as parameters of one cached statement, which SQLAlchemy sends as one INSERT."""
    if not counts:
        return {}
    stmt = _reserve(session.get_bind().dialect.name, table)
    rows = [
        {"case_id": case_id, "last_seq": n}
        for case_id, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
    ]
    result = await session.execute(stmt, rows)
    return {r.case_id: int(r.last_seq) - counts[r.case_id] + 1 for r in result}


async def position(
    session: AsyncSession, table: sa.Table, producer: str, case_id: uuid.UUID
) -> int:
    """The last applied number of this producer's events about the case (0: none yet)."""
    stmt = sa.select(table.c.last_seq).where(
        table.c.producer == producer, table.c.case_id == case_id
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    found = (await session.execute(stmt)).scalar_one_or_none()
    return int(found or 0)


async def advance(
    session: AsyncSession, table: sa.Table, producer: str, case_id: uuid.UUID, seq: int
) -> None:
    insert = _upsert(session)
    stmt = (
        insert(table)
        .values(producer=producer, case_id=case_id, last_seq=seq)
        .on_conflict_do_update(
            index_elements=[table.c.producer, table.c.case_id], set_={"last_seq": seq}
        )
    )
    await session.execute(stmt)


async def positions(
    session: AsyncSession, table: sa.Table, keys: set[tuple[str, uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], int]:
    """`position` for many (producer, case) pairs in one query (row-locked on PostgreSQL)."""
    if not keys:
        return {}
    stmt = _positions(session.get_bind().dialect.name, table)
    rows = await session.execute(stmt, {"keys": sorted(keys, key=lambda k: (k[0], str(k[1])))})
    return {(r.producer, r.case_id): int(r.last_seq) for r in rows}


@cache
def _positions(dialect: str, table: sa.Table) -> Any:
    """`positions`' look-up, built once per table and dialect (every batch sends one)."""
    stmt = sa.select(table.c.producer, table.c.case_id, table.c.last_seq).where(
        sa.tuple_(table.c.producer, table.c.case_id).in_(sa.bindparam("keys", expanding=True))
    )
    return stmt.with_for_update() if dialect == "postgresql" else stmt


async def advance_many(
    session: AsyncSession, table: sa.Table, moved: dict[tuple[str, uuid.UUID], int]
) -> None:
    """`advance` for many pairs in one statement."""
    if not moved:
        return
    stmt = _advance(session.get_bind().dialect.name, table)
    # In key order, as `positions` locks them: two transactions upserting overlapping cases
    # then take the row locks in the same order and cannot deadlock on them. Parameters of
    # one cached statement, not a multi-VALUES one compiled afresh for every batch.
    await session.execute(
        stmt,
        [
            {"producer": p, "case_id": c, "last_seq": seq}
            for (p, c), seq in sorted(moved.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
        ],
    )
