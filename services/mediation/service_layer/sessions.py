"""Mediation sessions: schedule, reschedule, record; attendees are invited and reminded.

Invitations are `session.scheduled` events (notify tells the attendees); a move is a
`session.rescheduled` event with the old and the new time and why, told as a change. A
reminder is a durable timer firing `session.reminder` a day before (exactly once per session
start time; a reschedule cancels the old reminder and sets a new one). The rules are
domain/mediation_session.py's; the dispute saves the step, the event and the timer.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select

from services.mediation.adapters.tables import MediationSession as SessionRow
from services.mediation.domain import mediation_session as meetings
from services.mediation.domain.errors import NotFound
from services.mediation.domain.mediation_session import REMINDER, MediationSession
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import SYSTEM, Actor
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork

__all__ = ["REMINDER", "hold_session", "on_reminder", "reschedule_session", "schedule_session"]


async def schedule_session(
    case_id: uuid.UUID,
    starts_at: datetime,
    place: str,
    online: bool,
    attendees: list[str],
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> MediationSession:
    dispute = await load_dispute(uow, case_id)
    s = meetings.schedule(dispute, starts_at, place, online, attendees, actor, ctx.now())
    await disputes_in(uow).save_session(s)
    await settle(uow, dispute)
    await uow.commit()
    return s


async def _session(uow: UnitOfWork, case_id: uuid.UUID, session_id: str) -> MediationSession:
    s = await disputes_in(uow).session(case_id, session_id)
    if s is None:
        raise NotFound(session_id)
    return s


async def reschedule_session(
    case_id: uuid.UUID,
    session_id: str,
    starts_at: datetime,
    place: str | None,
    reason: str,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> MediationSession:
    """Move a session; every attendee is told it is a change: the old and the new time, why."""
    dispute = await load_dispute(uow, case_id)
    meetings.check_open(dispute, actor)
    s = await _session(uow, case_id, session_id)
    meetings.reschedule(dispute, s, starts_at, place, reason, actor, ctx.now())
    await disputes_in(uow).save_session(s)
    await settle(uow, dispute)
    await uow.commit()
    return s


async def hold_session(
    case_id: uuid.UUID,
    session_id: str,
    summary: str,
    attendees: list[str] | None,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> MediationSession:
    """Record that the session took place, who attended and what came of it."""
    dispute = await load_dispute(uow, case_id)
    meetings.check_open(dispute, actor)
    s = await _session(uow, case_id, session_id)
    meetings.hold(dispute, s, summary, attendees, actor, ctx.now())
    await disputes_in(uow).save_session(s)
    await settle(uow, dispute)
    await uow.commit()
    return s


async def sessions_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[SessionRow]:
    stmt = (
        select(SessionRow).where(SessionRow.case_id == case_id).order_by(col(SessionRow.starts_at))
    )
    return list((await uow.session.exec(stmt)).all())


async def on_reminder(timer: Timer, uow: UnitOfWork) -> None:
    """A reminder fires: remind the attendees if the session is still on at that time."""
    s = await disputes_in(uow).session(timer.case_id, str(timer.data.get("session_id", "")))
    if s is None or s.status != "scheduled":
        return  # held or cancelled meanwhile; a reschedule cancelled the old reminder
    dispute = await load_dispute(uow, timer.case_id)
    dispute.raise_event("session.reminder", meetings.announced(dispute, s), SYSTEM)
    await settle(uow, dispute)
