"""How any service's event lands on an intake case: a timeline note, and the status and the
Open311 fields it moves.

Every service's events, intake's own included, are recorded by `Case.record` through these
rules; events may arrive out of order across streams, so only a newer one moves the status.
Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from services.intake.domain.timeline import describe, is_newer
from shared.contracts.envelope import Actor, Envelope

if TYPE_CHECKING:
    from services.intake.domain.case import Case


@dataclass(frozen=True)
class TimelineNote:
    """One timeline entry, as the tracking page and the officer's view show it."""

    event_id: uuid.UUID
    event_type: str
    producer: str
    occurred_at: datetime
    actor: Actor
    text_zh: str
    text_en: str
    state: str | None = None
    causation_id: uuid.UUID | None = None


def note_of(envelope: Envelope) -> TimelineNote:
    zh, en = describe(envelope.event_type, envelope.payload)
    state = envelope.payload.get("state")
    return TimelineNote(
        event_id=envelope.event_id,
        event_type=envelope.event_type,
        producer=envelope.producer,
        occurred_at=envelope.occurred_at,
        actor=envelope.actor,
        text_zh=zh[:500],
        text_en=en[:500],
        state=state if isinstance(state, str) else None,
        causation_id=envelope.causation_id,
    )


def record(case: Case, envelope: Envelope) -> None:
    """Append a timeline note; move the status when the event names a newer state."""
    note = note_of(envelope)
    case.timeline.append(note)
    if note.state is not None and is_newer(case.status_at, envelope.occurred_at):
        case.status = note.state
        case.status_at = envelope.occurred_at
        follow_dispatch(case, envelope)
    note_access(case, envelope)
    case.updated_at = max(case.updated_at, envelope.occurred_at)


def note_access(case: Case, envelope: Envelope) -> None:
    """Who else reads the case for their work, whatever order the events come in: the
    supervisors a hazard was escalated to, the other body of the compound a report is linked
    to (配合处理), the mediator assigned to a dispute (the last one)."""
    payload = envelope.payload
    if envelope.event_type == "hazard.escalated":
        supervisors = list(case.details.get("supervisors", []))
        to = str(payload.get("escalated_to", ""))[:64]
        if to and to not in supervisors:
            case.details = {**case.details, "supervisors": [*supervisors, to]}
    elif envelope.event_type == "compound.report_linked":
        supporting = list(case.details.get("supporting", []))
        body = str(payload.get("department_id", ""))[:64]
        if body and body not in supporting:
            case.details = {**case.details, "supporting": [*supporting, body]}
    elif envelope.event_type in ("mediator.assigned", "mediator.reassigned"):
        at = envelope.occurred_at.isoformat()
        if at >= str(case.details.get("mediator_at", "")):
            mediator = str(payload.get("mediator_id", ""))[:64]
            case.details = {**case.details, "mediator_id": mediator, "mediator_at": at}


# The department's latest word, shown as Open311 status_notes.
_NOTE_FIELDS = {
    "hazard.resolved": "note",
    "hazard.progress_noted": "note",
    "hazard.reopened": "note",
    "hazard.declined": "reason",
    "hazard.cancelled": "reason",
}


def follow_dispatch(case: Case, envelope: Envelope) -> None:
    """Keep what Open311 reads (agency, due date, notes) in step with dispatch's newest event."""
    payload = envelope.payload
    if envelope.event_type == "hazard.dispatched":
        case.agency_responsible = str(payload.get("department_name", ""))[:100]
        case.department_id = str(payload.get("department_id", ""))[:64] or None
        due = payload.get("resolve_due")
        case.expected_at = datetime.fromisoformat(due) if isinstance(due, str) else None
        case.status_notes = ""
    elif envelope.event_type == "hazard.withdrawn":
        # Taken back from that department: its system may no longer post updates on it.
        if case.department_id == payload.get("department_id"):
            case.department_id = None
            case.agency_responsible = ""
            case.expected_at = None
    elif envelope.event_type == "hazard.marked_duplicate":
        case.status_notes = "重复报告，随原工单处理 Duplicate request."
    field = _NOTE_FIELDS.get(envelope.event_type)
    if field and payload.get(field):
        case.status_notes = str(payload[field])[:2000]
