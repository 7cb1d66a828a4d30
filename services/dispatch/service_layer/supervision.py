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

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import Hazard, HazardEscalation
from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.lifecycle import OPEN, State
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.steps import announce, record
from shared.contracts.envelope import Actor
from shared.contracts.events.dispatch import HazardUrged
from shared.messaging.uow import UnitOfWork


async def escalated_to(session: AsyncSession, case_id: uuid.UUID, supervisor_id: str) -> bool:
    """Was this hazard ever escalated to this supervisor?"""
    stmt = select(HazardEscalation.id).where(
        HazardEscalation.case_id == case_id, HazardEscalation.escalated_to == supervisor_id
    )
    return (await session.exec(stmt.limit(1))).first() is not None


async def queue(
    session: AsyncSession, supervisor_id: str, *, open_only: bool, limit: int, offset: int
) -> list[tuple[Hazard, int, datetime]]:
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
    stmt = select(Hazard, per_case.c.level, per_case.c.at).join(
        per_case, per_case.c.case_id == col(Hazard.case_id)
    )
    if open_only:
        stmt = stmt.where(col(Hazard.state).in_([s.value for s in OPEN]))
    stmt = stmt.order_by(col(Hazard.next_due).asc().nulls_last(), per_case.c.at.desc())
    rows = (await session.exec(stmt.offset(offset).limit(limit))).all()
    return [(hazard, int(lvl), at) for hazard, lvl, at in rows]


async def urge(hazard: Hazard, note: str, actor: Actor, uow: UnitOfWork, ctx: Context) -> Hazard:
    """The supervisor presses the department on an open hazard escalated to it."""
    if actor.role != "department" or not await escalated_to(uow.session, hazard.case_id, actor.id):
        raise NotAllowed("only a supervisor this hazard was escalated to may press it")
    if State(hazard.state) not in OPEN:
        raise IllegalTransition("urge", hazard.state)
    entry = (await read_directory(uow.session)).get(actor.id)
    record(uow, hazard, "urge", actor, ctx.clock.now(), note=note)
    uow.session.add(hazard)
    announce(
        uow,
        hazard,
        "hazard.urged",
        HazardUrged(
            state=hazard.state,
            department_id=hazard.department_id,
            supervisor_id=actor.id,
            supervisor_name=entry.name if entry else None,
            note=note,
        ),
        actor,
    )
    return hazard
