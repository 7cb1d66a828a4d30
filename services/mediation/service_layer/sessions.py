"""Mediation sessions: schedule, reschedule, record; attendees are invited and reminded.

Invitations are `session.scheduled` events (notify tells the attendees); a move is a
`session.rescheduled` event with the old and the new time and why, told as a change. A
reminder is a durable timer firing `session.reminder` a day before (exactly once per session
start time; a reschedule cancels the old reminder and sets a new one).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import col, select

from services.mediation.adapters.tables import TIMER, Dispute, MediationSession
from services.mediation.domain.dispute import aware
from services.mediation.domain.errors import IllegalTransition, Incomplete, NotAllowed, NotFound
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import check_held
from services.mediation.service_layer.clocks import arm
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import announce, load, record
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.mediation import SessionHeld, SessionRescheduled, SessionScheduled
from shared.messaging import timers
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork

REMIND_BEFORE = timedelta(hours=24)
REMINDER = "session_reminder"
OPEN_FOR_SESSIONS = (State.ASSIGNED, State.IN_MEDIATION, State.WAITING_PARTY)
# Who arranges and records sessions: the assigned mediator, or the committee.
SESSION_KEEPERS = frozenset({"mediator", "committee"})


def check_mediator(dispute: Dispute, actor: Actor) -> None:
    if actor.role == "mediator" and actor.id != dispute.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")


def default_attendees(dispute: Dispute) -> list[str]:
    """The complainant (or the group's representatives), the respondents and the mediator."""
    parties = list(dispute.representatives) or [dispute.complainant_id]
    parties += [str(r["party_id"]) for r in dispute.respondents]
    return parties + ([dispute.mediator_id] if dispute.mediator_id else [])


def _event(dispute: Dispute, s: MediationSession) -> SessionScheduled:
    return SessionScheduled(
        state=dispute.state,
        session_id=s.session_id,
        starts_at=s.starts_at,
        place=s.place,
        online=s.online,
        attendees=s.attendees,
    )


async def _open(uow: UnitOfWork, case_id: uuid.UUID, actor: Actor) -> Dispute:
    if actor.role not in SESSION_KEEPERS:
        raise NotAllowed(f"a {actor.role} may not arrange mediation sessions")
    dispute = await load(uow, case_id)
    check_mediator(dispute, actor)
    if State(dispute.state) not in OPEN_FOR_SESSIONS:
        raise IllegalTransition("schedule a session for", dispute.state)
    return dispute


def _kind(s: MediationSession) -> str:
    return f"{REMINDER}:{s.session_id}"


async def _remind(uow: UnitOfWork, s: MediationSession, now: datetime) -> None:
    at = s.starts_at - REMIND_BEFORE
    if at > now:
        await arm(uow, s.case_id, _kind(s), at, {"session_id": s.session_id})


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
    dispute = await _open(uow, case_id, actor)
    now = ctx.now()
    if starts_at <= now:
        raise Incomplete("starts_at", "a session is scheduled in the future")
    if not online and not place:
        raise Incomplete("place", "a session in person needs a place")
    s = MediationSession(
        session_id=f"ses-{uuid.uuid4().hex[:12]}",
        case_id=case_id,
        starts_at=starts_at,
        place=place,
        online=online,
        attendees=attendees or default_attendees(dispute),
        updated_at=now,
    )
    uow.session.add(s)
    record(uow, dispute, "schedule_session", actor, now=now, note=s.session_id)
    await _remind(uow, s, now)
    announce(uow, dispute, "session.scheduled", _event(dispute, s), actor)
    await uow.commit()
    return s


async def _session(uow: UnitOfWork, case_id: uuid.UUID, session_id: str) -> MediationSession:
    s = await uow.session.get(MediationSession, session_id)
    if s is None or s.case_id != case_id:
        raise NotFound(session_id)
    if s.status != "scheduled":
        raise IllegalTransition("change a session that is", s.status)
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
    dispute = await _open(uow, case_id, actor)
    s = await _session(uow, case_id, session_id)
    now = ctx.now()
    if starts_at <= now:
        raise Incomplete("starts_at", "a session is scheduled in the future")
    if not reason.strip():
        raise Incomplete("reason", "a reschedule tells the parties why")
    new_place = place if place is not None else s.place
    if starts_at == s.starts_at and new_place == s.place:
        raise Incomplete("starts_at", "a reschedule changes the time or the place")
    before, before_place = s.starts_at, s.place
    await timers.cancel(uow, TIMER, case_id, (_kind(s),), now)
    s.starts_at, s.place = starts_at, new_place
    s.reschedules, s.updated_at = s.reschedules + 1, now
    uow.session.add(s)
    record(uow, dispute, "reschedule_session", actor, now=now, note=s.session_id)
    await _remind(uow, s, now)
    moved = SessionRescheduled(
        **_event(dispute, s).model_dump(),
        previous_starts_at=before,
        previous_place=before_place,
        reason=reason.strip(),
    )
    announce(uow, dispute, "session.rescheduled", moved, actor)
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
    dispute = await _open(uow, case_id, actor)
    s = await _session(uow, case_id, session_id)
    now = ctx.now()
    check_held(aware(s.starts_at), now)
    s.status, s.summary, s.updated_at = "held", summary, now
    if attendees is not None:
        s.attendees = attendees
    uow.session.add(s)
    record(uow, dispute, "hold_session", actor, now=now, note=s.session_id)
    announce(
        uow,
        dispute,
        "session.held",
        SessionHeld(state=dispute.state, session_id=s.session_id, summary=summary),
        actor,
    )
    await uow.commit()
    return s


async def sessions_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[MediationSession]:
    stmt = (
        select(MediationSession)
        .where(MediationSession.case_id == case_id)
        .order_by(col(MediationSession.starts_at))
    )
    return list((await uow.session.exec(stmt)).all())


async def on_reminder(timer: Timer, uow: UnitOfWork) -> None:
    """A reminder fires: remind the attendees if the session is still on at that time."""
    s = await uow.session.get(MediationSession, str(timer.data.get("session_id", "")))
    if s is None or s.status != "scheduled":
        return  # held or cancelled meanwhile; a reschedule cancelled the old reminder
    dispute = await load(uow, timer.case_id)
    announce(uow, dispute, "session.reminder", _event(dispute, s), SYSTEM)
