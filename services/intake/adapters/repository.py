"""Reads and writes of intake's tables inside a unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.tables import Case, Party, TimelineEntry
from shared.platform.db import transaction_memo

# Cases `lock_cases` loaded and locked, for the transaction that locked them.
_LOCKED = "intake.locked_cases"


async def lock_cases(session: AsyncSession, case_ids: Iterable[uuid.UUID]) -> None:
    """Load and row-lock these cases in one query, in id order (two transactions locking
    overlapping cases cannot deadlock); `get_case(lock=True)` then finds them without a query
    until the transaction ends. (A batch of events: one query instead of one per event.)"""
    ids = sorted(set(case_ids), key=str)
    if not ids:
        return
    stmt = select(Case).where(col(Case.id).in_(ids)).order_by(col(Case.id)).with_for_update()
    found = (await session.exec(stmt)).all()
    transaction_memo(session, _LOCKED).update({case.id: case for case in found})


async def get_case(session: AsyncSession, case_id: uuid.UUID, *, lock: bool = False) -> Case | None:
    locked: dict[uuid.UUID, Case] = transaction_memo(session, _LOCKED)
    if lock and case_id in locked:
        return locked[case_id]
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.exec(stmt)).first()


async def case_by_code(session: AsyncSession, code: str) -> Case | None:
    return (await session.exec(select(Case).where(Case.tracking_code == code))).first()


async def parties_of(session: AsyncSession, case_id: uuid.UUID) -> list[Party]:
    return list((await session.exec(select(Party).where(Party.case_id == case_id))).all())


async def member_id_hashes(session: AsyncSession, parent_id: uuid.UUID) -> set[str]:
    """The ID-number hashes of a group's members (a worker joins a group once)."""
    stmt = (
        select(Party.id_number_hash)
        .join(Case, col(Case.id) == col(Party.case_id))
        .where(Case.parent_case_id == parent_id, Party.role == "complainant")
    )
    return {h for h in (await session.exec(stmt)).all() if h}


async def timeline_of(session: AsyncSession, case_id: uuid.UUID) -> list[TimelineEntry]:
    stmt = (
        select(TimelineEntry)
        .where(TimelineEntry.case_id == case_id)
        .order_by(col(TimelineEntry.occurred_at), col(TimelineEntry.id))
    )
    return list((await session.exec(stmt)).all())


async def runner_party_id(
    session: AsyncSession, phone_hash: str | None, email_hash: str | None
) -> str | None:
    """The party id a runner already has: by phone, else by e-mail (oldest row first)."""
    from services.intake.domain.riders import RUNNER_ROLES

    for column, value in ((Party.phone_hash, phone_hash), (Party.email_hash, email_hash)):
        if value is None:
            continue
        stmt = (
            select(Party.party_id)
            .join(Case, col(Case.id) == col(Party.case_id))
            .where(
                column == value,
                col(Party.role).in_(RUNNER_ROLES),
                col(Party.purged_at).is_(None),
            )
            .order_by(col(Case.created_at))
            .limit(1)
        )
        found = (await session.exec(stmt)).first()
        if found is not None:
            return str(found)
    return None
