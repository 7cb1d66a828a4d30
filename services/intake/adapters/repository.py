"""Reads and writes of intake's tables inside a unit of work."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.tables import Case, Party, TimelineEntry


async def get_case(session: AsyncSession, case_id: uuid.UUID, *, lock: bool = False) -> Case | None:
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.exec(stmt)).first()


async def case_by_code(session: AsyncSession, code: str) -> Case | None:
    return (await session.exec(select(Case).where(Case.tracking_code == code))).first()


async def parties_of(session: AsyncSession, case_id: uuid.UUID) -> list[Party]:
    return list((await session.exec(select(Party).where(Party.case_id == case_id))).all())


async def timeline_of(session: AsyncSession, case_id: uuid.UUID) -> list[TimelineEntry]:
    stmt = (
        select(TimelineEntry)
        .where(TimelineEntry.case_id == case_id)
        .order_by(col(TimelineEntry.occurred_at), col(TimelineEntry.id))
    )
    return list((await session.exec(stmt)).all())
