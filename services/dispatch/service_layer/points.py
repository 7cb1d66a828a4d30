"""Contribution points: a verified, non-duplicate hazard earns its reporter points, once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.tables import PointsEntry
from services.dispatch.domain.hazard import Hazard
from services.dispatch.service_layer.repository import hazards_in
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


async def credit_verified(uow: UnitOfWork, hazard: Hazard, at: datetime) -> int:
    """Credit the reporter for a hazard a department fixed; 0 if it was credited before."""
    hazards = hazards_in(uow)
    if hazard.original_case_id is not None or await hazards.credited(hazard.case_id, VERIFIED):
        return 0
    points = (await hazards.directory()).points_for(hazard.category)
    if points <= 0:
        return 0
    balance = await hazards.balance_of(hazard.reporter_id) + points
    hazards.add_points(hazard, VERIFIED, points, at)
    hazard.raise_event(
        "points.credited",
        PointsCredited(
            reporter_id=hazard.reporter_id, points=points, balance=balance, reason=VERIFIED
        ),
    )
    return points
