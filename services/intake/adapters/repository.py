"""Reads and writes of intake's tables inside a unit of work.

New cases, their parties and timeline entries, and the projection's changes to the cases it
locked are held for the commit as rows of Core statements built once (`shared.messaging.held`):
a batch writes each table in one executemany, with no ORM object per row. Whatever reads these
tables in the same transaction calls `write_held_rows` first (the functions here do).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.tables import Case, Party, TimelineEntry
from services.intake.domain.riders import RUNNER_ROLES
from shared.messaging.held import write_held
from shared.platform.db import transaction_memo

_CASES = Case.__table__.c  # type: ignore[attr-defined]

CASE_INSERT = sa.insert(Case.__table__)  # type: ignore[attr-defined]
PARTY_INSERT = sa.insert(Party.__table__)  # type: ignore[attr-defined]
TIMELINE_INSERT = sa.insert(TimelineEntry.__table__)  # type: ignore[attr-defined]
# The columns an event projected onto a case moves (`case_timeline.record`): one UPDATE of
# them per case and batch, whatever the number of its events; the values are the parameters.
PROJECTED = frozenset(
    {
        "status",
        "status_at",
        "updated_at",
        "details",
        "agency_responsible",
        "department_id",
        "expected_at",
        "status_notes",
    }
)
CASE_UPDATE = sa.update(Case.__table__).where(_CASES.id == sa.bindparam("b_id"))  # type: ignore[attr-defined]
LOCK_CASES = (
    sa.select(Case.__table__)  # type: ignore[attr-defined]
    .where(_CASES.id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(_CASES.id)
    .with_for_update()
)

# Per transaction: case id -> the held INSERT's values of a new case; -> the held UPDATE's
# parameters of a changed one; -> the columns of a case as the database has them (locked, or
# added here), read as a Core row.
NEW_CASES = "intake.new_cases"
CASE_UPDATES = "intake.case_updates"
LOADED_CASES = "intake.loaded_cases"


async def write_held_rows(session: AsyncSession) -> None:
    """The transaction's held rows, written now, cases before the parties that refer to them."""
    new = transaction_memo(session, NEW_CASES)
    loaded = transaction_memo(session, LOADED_CASES)
    for stmt in (CASE_INSERT, PARTY_INSERT, TIMELINE_INSERT, CASE_UPDATE):
        await write_held(session, stmt)
    # Written: from now on a new case is changed like a loaded one (a held UPDATE).
    loaded.update({case_id: _copied(values) for case_id, values in new.items()})
    new.clear()
    transaction_memo(session, CASE_UPDATES).clear()


def _copied(values: dict[str, Any]) -> dict[str, Any]:
    """The columns as written (a dict the aggregate changes in place must not change them)."""
    return {k: copy.deepcopy(v) if isinstance(v, dict | list) else v for k, v in values.items()}


def orm_loaded(session: AsyncSession, case_ids: Iterable[uuid.UUID]) -> None:
    """These cases are ORM rows from now on in this transaction: saved through them."""
    loaded = transaction_memo(session, LOADED_CASES)
    for case_id in case_ids:
        loaded.pop(case_id, None)


async def lock_cases(session: AsyncSession, case_ids: Iterable[uuid.UUID]) -> None:
    """Load and row-lock these cases in one query, in id order (two transactions locking
    overlapping cases cannot deadlock), as Core rows kept for the transaction: the case
    repository's `get` then finds them without a query. (A batch of events: one query
    instead of one per event, and no ORM object per case.)"""
    ids = sorted(set(case_ids), key=str)
    if not ids:
        return
    await write_held_rows(session)
    rows = (await session.execute(LOCK_CASES, {"ids": ids})).mappings().all()
    loaded: dict[uuid.UUID, dict[str, Any]] = transaction_memo(session, LOADED_CASES)
    loaded.update({row["id"]: dict(row) for row in rows})


async def get_case(session: AsyncSession, case_id: uuid.UUID, *, lock: bool = False) -> Case | None:
    await write_held_rows(session)
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    orm_loaded(session, [case_id])
    return found


async def case_by_code(session: AsyncSession, code: str) -> Case | None:
    await write_held_rows(session)
    found = (await session.exec(select(Case).where(Case.tracking_code == code))).first()
    if found is not None:
        orm_loaded(session, [found.id])
    return found


async def parties_of(session: AsyncSession, case_id: uuid.UUID) -> list[Party]:
    await write_held_rows(session)
    return list((await session.exec(select(Party).where(Party.case_id == case_id))).all())


async def member_id_hashes(session: AsyncSession, parent_id: uuid.UUID) -> set[str]:
    """The ID-number hashes of a group's members (a worker joins a group once)."""
    await write_held_rows(session)
    stmt = (
        select(Party.id_number_hash)
        .join(Case, col(Case.id) == col(Party.case_id))
        .where(Case.parent_case_id == parent_id, Party.role == "complainant")
    )
    return {h for h in (await session.exec(stmt)).all() if h}


async def timeline_of(session: AsyncSession, case_id: uuid.UUID) -> list[TimelineEntry]:
    await write_held_rows(session)
    stmt = (
        select(TimelineEntry)
        .where(TimelineEntry.case_id == case_id)
        .order_by(col(TimelineEntry.occurred_at), col(TimelineEntry.id))
    )
    return list((await session.exec(stmt)).all())


def _runner_by(column: sa.ColumnElement[Any]) -> sa.Select[tuple[str]]:
    """A runner's party id by one keyed hash (oldest case first): built once per column."""
    parties = Party.__table__.c  # type: ignore[attr-defined]
    return (
        sa.select(parties.party_id)
        .join_from(Party.__table__, Case.__table__, _CASES.id == parties.case_id)  # type: ignore[attr-defined]
        .where(
            column == sa.bindparam("value"),
            parties.role.in_(sorted(RUNNER_ROLES)),
            parties.purged_at.is_(None),
        )
        .order_by(_CASES.created_at)
        .limit(1)
    )


_PARTIES = Party.__table__.c  # type: ignore[attr-defined]
_RUNNER_BY_PHONE = _runner_by(_PARTIES.phone_hash)
_RUNNER_BY_EMAIL = _runner_by(_PARTIES.email_hash)


async def runner_party_id(
    session: AsyncSession, phone_hash: str | None, email_hash: str | None
) -> str | None:
    """The party id a runner already has: by phone, else by e-mail (oldest row first)."""
    if phone_hash is None and email_hash is None:
        return None
    await write_held_rows(session)
    await session.flush()  # as the ORM query did (autoflush): parties added as ORM rows
    for stmt, value in ((_RUNNER_BY_PHONE, phone_hash), (_RUNNER_BY_EMAIL, email_hash)):
        if value is None:
            continue
        found = (await session.execute(stmt, {"value": value})).scalar()
        if found is not None:
            return str(found)
    return None
