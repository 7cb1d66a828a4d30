"""The status/timeline projection: every service's events land on the case's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, PartyPoints, TimelineEntry
from services.intake.domain.timeline import describe, is_newer
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork


def apply_event(case: Case, envelope: Envelope, session: AsyncSession) -> None:
    """Append a timeline entry; move the status when the event names a newer state."""
    zh, en = describe(envelope.event_type, envelope.payload)
    state = envelope.payload.get("state")
    session.add(
        TimelineEntry(
            case_id=case.id,
            event_id=envelope.event_id,
            event_type=envelope.event_type,
            producer=envelope.producer,
            occurred_at=envelope.occurred_at,
            actor_role=envelope.actor.role,
            actor_id=envelope.actor.id,
            text_zh=zh[:500],
            text_en=en[:500],
            state=state if isinstance(state, str) else None,
            causation_id=envelope.causation_id,
        )
    )
    if isinstance(state, str) and is_newer(case.status_at, envelope.occurred_at):
        case.status = state
        case.status_at = envelope.occurred_at
        _follow_dispatch(case, envelope)
    _note_access(case, envelope)
    case.updated_at = max(case.updated_at, envelope.occurred_at)
    session.add(case)


def _note_access(case: Case, envelope: Envelope) -> None:
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


def _follow_dispatch(case: Case, envelope: Envelope) -> None:
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


async def project(envelope: Envelope, uow: UnitOfWork) -> None:
    """Handler for other services' events."""
    case = await repository.get_case(uow.session, envelope.case_id, lock=True)
    if case is None:
        return  # not a case this registry knows (e.g. another deployment's test data)
    apply_event(case, envelope, uow.session)
    if envelope.event_type in ("points.credited", "points.redeemed"):
        await _note_points(envelope, uow)


async def _note_points(envelope: Envelope, uow: UnitOfWork) -> None:
    """The rider's balance, as dispatch last announced it (the newest credit or spending
    wins)."""
    payload = envelope.payload
    party_id = str(payload.get("reporter_id", ""))[:64]
    if not party_id:
        return
    row = await uow.session.get(PartyPoints, party_id, with_for_update=True)
    if row is None:
        row = PartyPoints(party_id=party_id, credited_at=envelope.occurred_at)
    elif row.credited_at > envelope.occurred_at:
        return
    row.balance = int(payload.get("balance", 0))
    row.credited_at = envelope.occurred_at
    uow.session.add(row)


async def prepare(envelopes: Sequence[Envelope], uow: UnitOfWork) -> None:
    """A batch's cases, loaded and locked in one query before `project` runs for each event."""
    await repository.lock_cases(uow.session, (e.case_id for e in envelopes))
