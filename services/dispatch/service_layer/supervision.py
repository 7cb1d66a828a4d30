"""The supervisor's work: the hazards escalated to it, read and pressed (督办).

A town or district supervisor is a department of the directory (the escalation chain names
it); it signs in with the department role and its own department id.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.tables import Hazard as HazardRow
from services.dispatch.adapters.tables import HazardEscalation
from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import OPEN
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.steps import settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


async def escalated_to(session: AsyncSession, case_id: uuid.UUID, supervisor_id: str) -> bool:
    """Was this hazard ever escalated to this supervisor?"""
    stmt = select(HazardEscalation.id).where(
        HazardEscalation.case_id == case_id, HazardEscalation.escalated_to == supervisor_id
    )
    return (await session.exec(stmt.limit(1))).first() is not None


async def queue(
    session: AsyncSession, supervisor_id: str, *, open_only: bool, limit: int, offset: int
) -> list[tuple[HazardRow, int, datetime]]:
    """Hazards escalated to the supervisor with their highest level and latest escalation,
    open ones first and the most overdue first."""
    per_case = (
        select(
            HazardEscalation.case_id,
            func.max(HazardEscalation.level).label("level"),
            func.max(HazardEscalation.at).label("at"),
        )
        .where(HazardEscalation.escalated_to == supervisor_id)
        .group_by(col(HazardEscalation.case_id))
        .subquery()
    )
    stmt = select(HazardRow, per_case.c.level, per_case.c.at).join(
        per_case, per_case.c.case_id == col(HazardRow.case_id)
    )
    if open_only:
        stmt = stmt.where(col(HazardRow.state).in_([s.value for s in OPEN]))
    stmt = stmt.order_by(col(HazardRow.next_due).asc().nulls_last(), per_case.c.at.desc())
    rows = (await session.exec(stmt.offset(offset).limit(limit))).all()
    return [(hazard, int(lvl), at) for hazard, lvl, at in rows]


async def urge(hazard: Hazard, note: str, actor: Actor, uow: UnitOfWork, ctx: Context) -> Hazard:
    """The supervisor presses the department on an open hazard escalated to it."""
    hazards = hazards_in(uow)
    if actor.role != "department" or not await hazards.escalated_to(hazard.case_id, actor.id):
        raise NotAllowed("only a supervisor this hazard was escalated to may press it")
    if not hazard.is_open:
        raise IllegalTransition("urge", hazard.state)
    entry = (await hazards.directory()).get(actor.id)
    hazard.urge(note, actor, entry.name if entry else None, ctx.clock.now())
    await settle(uow, hazard)
    return hazard
