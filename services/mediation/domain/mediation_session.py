"""Mediation sessions of a dispute: scheduled, moved, held; each a step on the dispute's
history, an event, and a reminder timer a day before (exactly once per start time)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.mediation.domain.dispute import Dispute, aware
from services.mediation.domain.errors import IllegalTransition, Incomplete, NotAllowed
from services.mediation.domain.kept_clocks import TimerOrder
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import check_held
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import SessionHeld, SessionRescheduled, SessionScheduled

REMIND_BEFORE = timedelta(hours=24)
REMINDER = "session_reminder"
OPEN_FOR_SESSIONS = (State.ASSIGNED, State.IN_MEDIATION, State.WAITING_PARTY)
# Who arranges and records sessions: the assigned mediator, or the committee.
SESSION_KEEPERS = frozenset({"mediator", "committee"})


@dataclass
class MediationSession:
    session_id: str
    case_id: uuid.UUID
    starts_at: datetime
    place: str = ""
    online: bool = False
    attendees: list[str] = field(default_factory=list)
    status: str = "scheduled"  # scheduled, held, cancelled
    summary: str = ""
    reschedules: int = 0
    updated_at: datetime | None = None

    @property
    def reminder(self) -> str:
        return f"{REMINDER}:{self.session_id}"


def check_open(dispute: Dispute, actor: Actor) -> None:
    """Sessions are arranged by the assigned mediator or the committee, while one mediates."""
    if actor.role not in SESSION_KEEPERS:
        raise NotAllowed(f"a {actor.role} may not arrange mediation sessions")
    dispute.check_mediator(actor)
    if State(dispute.state) not in OPEN_FOR_SESSIONS:
        raise IllegalTransition("schedule a session for", dispute.state)


def check_changeable(s: MediationSession) -> None:
    if s.status != "scheduled":
        raise IllegalTransition("change a session that is", s.status)


def default_attendees(dispute: Dispute) -> list[str]:
    """The complainant (or the group's representatives), the respondents and the mediator."""
    parties = list(dispute.representatives) or [dispute.complainant_id]
    parties += [str(r["party_id"]) for r in dispute.respondents]
    return parties + ([dispute.mediator_id] if dispute.mediator_id else [])


def announced(dispute: Dispute, s: MediationSession) -> SessionScheduled:
    return SessionScheduled(
        state=dispute.state,
        session_id=s.session_id,
        starts_at=s.starts_at,
        place=s.place,
        online=s.online,
        attendees=s.attendees,
    )


def _remind(dispute: Dispute, s: MediationSession, at: datetime) -> None:
    when = s.starts_at - REMIND_BEFORE
    if when > at:
        data = {"session_id": s.session_id}
        dispute.timers.append(TimerOrder("arm", (s.reminder,), when, data))


def schedule(
    dispute: Dispute,
    starts_at: datetime,
    place: str,
    online: bool,
    attendees: list[str],
    actor: Actor,
    at: datetime,
) -> MediationSession:
    check_open(dispute, actor)
    if starts_at <= at:
        raise Incomplete("starts_at", "a session is scheduled in the future")
    if not online and not place:
        raise Incomplete("place", "a session in person needs a place")
    s = MediationSession(
        session_id=f"ses-{uuid.uuid4().hex[:12]}",
        case_id=dispute.case_id,
        starts_at=starts_at,
        place=place,
        online=online,
        attendees=attendees or default_attendees(dispute),
        updated_at=at,
    )
    dispute.note("schedule_session", actor, at, note=s.session_id)
    _remind(dispute, s, at)
    dispute.raise_event("session.scheduled", announced(dispute, s), actor)
    return s


def reschedule(
    dispute: Dispute,
    s: MediationSession,
    starts_at: datetime,
    place: str | None,
    reason: str,
    actor: Actor,
    at: datetime,
) -> None:
    """Moved: every attendee is told it is a change, the old and the new time, and why."""
    check_open(dispute, actor)
    check_changeable(s)
    if starts_at <= at:
        raise Incomplete("starts_at", "a session is scheduled in the future")
    if not reason.strip():
        raise Incomplete("reason", "a reschedule tells the parties why")
    new_place = place if place is not None else s.place
    if starts_at == s.starts_at and new_place == s.place:
        raise Incomplete("starts_at", "a reschedule changes the time or the place")
    before, before_place = s.starts_at, s.place
    dispute.timers.append(TimerOrder("cancel", (s.reminder,), at))
    s.starts_at, s.place = starts_at, new_place
    s.reschedules, s.updated_at = s.reschedules + 1, at
    dispute.note("reschedule_session", actor, at, note=s.session_id)
    _remind(dispute, s, at)
    moved = SessionRescheduled(
        **announced(dispute, s).model_dump(),
        previous_starts_at=before,
        previous_place=before_place,
        reason=reason.strip(),
    )
    dispute.raise_event("session.rescheduled", moved, actor)


def hold(
    dispute: Dispute,
    s: MediationSession,
    summary: str,
    attendees: list[str] | None,
    actor: Actor,
    at: datetime,
) -> None:
    """Recorded as held: who attended and what came of it."""
    check_open(dispute, actor)
    check_changeable(s)
    check_held(aware(s.starts_at), at)
    s.status, s.summary, s.updated_at = "held", summary, at
    if attendees is not None:
        s.attendees = attendees
    dispute.note("hold_session", actor, at, note=s.session_id)
    held = SessionHeld(state=dispute.state, session_id=s.session_id, summary=summary)
    dispute.raise_event("session.held", held, actor)
