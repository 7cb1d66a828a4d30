"""Contribution points: a verified, non-duplicate hazard earns its reporter points, once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import Hazard, PointsEntry
from services.dispatch.service_layer.steps import announce
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.dispatch import PointsCredited
from shared.messaging.uow import UnitOfWork

VERIFIED = "hazard_verified"


async def balance_of(session: AsyncSession, reporter_id: str) -> int:
    total = await session.exec(
        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
            PointsEntry.reporter_id == reporter_id
        )
    )
    return int(total.one())


async def history_of(session: AsyncSession, reporter_id: str, limit: int) -> list[PointsEntry]:
    rows = await session.exec(
        select(PointsEntry)
        .where(PointsEntry.reporter_id == reporter_id)
        .order_by(col(PointsEntry.at).desc(), col(PointsEntry.id))
        .limit(limit)
    )
    return list(rows.all())


async def credit_verified(
    uow: UnitOfWork, hazard: Hazard, at: datetime, cause: Envelope | None = None
) -> int:
    """Credit the reporter for a hazard a department fixed; 0 if it was credited before."""
    already = await uow.session.exec(
        select(PointsEntry.id).where(
            PointsEntry.case_id == hazard.case_id, PointsEntry.reason == VERIFIED
        )
    )
    if already.first() is not None or hazard.original_case_id is not None:
        return 0
    points = (await read_directory(uow.session)).points_for(hazard.category)
    if points <= 0:
        return 0
    balance = await balance_of(uow.session, hazard.reporter_id) + points
    uow.session.add(
        PointsEntry(
            reporter_id=hazard.reporter_id,
            case_id=hazard.case_id,
            reason=VERIFIED,
            points=points,
            category=hazard.category,
            at=at,
        )
    )
    announce(
        uow,
        hazard,
        "points.credited",
        PointsCredited(
            reporter_id=hazard.reporter_id, points=points, balance=balance, reason=VERIFIED
        ),
        SYSTEM,
        cause,
    )
    return points
