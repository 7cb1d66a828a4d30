"""An officer's corrections: re-categorise or move a ticket, or split a wrong merge."""

from __future__ import annotations

import uuid

from sqlmodel import delete

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, Party
from services.intake.domain import catalogue
from services.intake.domain.commands import CorrectCase, SplitCase
from services.intake.domain.errors import Conflict, InvalidField, NotFound, UnknownCategory
from services.intake.service_layer.projection import apply_event
from services.intake.service_layer.triage import Triage
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint
from shared.contracts.events.intake import CaseCorrected, CaseUnmerged
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"
_FINAL = frozenset({"closed", "cancelled", "confirmed_fixed", "withdrawn", "rejected"})


async def _open_case(uow: UnitOfWork, case_id: uuid.UUID) -> Case:
    case = await repository.get_case(uow.session, case_id, lock=True)
    if case is None:
        raise NotFound(str(case_id))
    if case.status in _FINAL:
        raise Conflict(f"the ticket is {case.status}; a finished ticket cannot be changed")
    return case


async def correct_case(
    case_id: uuid.UUID, cmd: CorrectCase, uow: UnitOfWork, actor: Actor, triage: Triage
) -> Case:
    """Change category and/or location, triage again and record it on the timeline."""
    case = await _open_case(uow, case_id)
    previous_category, previous_jurisdiction = case.category, case.jurisdiction
    if case.kind == "dispute":
        if cmd.latitude is not None:
            raise InvalidField("latitude", "a dispute has no location")
        if cmd.category not in catalogue.DISPUTE_TYPES:
            raise InvalidField("category", "not a dispute type")
        case.category = cmd.category
    else:
        _retriage_hazard(case, cmd, triage)
    location = (
        GeoPoint(lat=case.latitude, lng=case.longitude)
        if case.kind == "hazard" and case.latitude is not None and case.longitude is not None
        else None
    )
    event = new_event(
        "case.corrected",
        CaseCorrected(
            category=case.category,
            jurisdiction=case.jurisdiction,
            location=location,
            previous_category=previous_category,
            previous_jurisdiction=previous_jurisdiction,
            reason=cmd.reason,
            title=case.title,
        ),
        case_id=case.id,
        actor=actor,
        producer=PRODUCER,
        occurred_at=triage.now(),
    )
    apply_event(case, event, uow.session)
    uow.emit(event)
    return case


def _retriage_hazard(case: Case, cmd: CorrectCase, triage: Triage) -> None:
    cat = catalogue.category(cmd.category or case.category)
    if cat is None:
        raise UnknownCategory(cmd.category or "")
    if cmd.latitude is not None and cmd.longitude is not None:
        place = triage.place(cmd.latitude, cmd.longitude)
        case.latitude, case.longitude = cmd.latitude, cmd.longitude
        case.jurisdiction = place.code
        if cmd.address is not None:
            case.address = cmd.address
    place_name = next(
        (j.name_zh for j in triage.jurisdictions.all() if j.code == case.jurisdiction), ""
    )
    case.category = cat.code
    case.urgency = catalogue.urgency_of(cat, case.description)
    case.title = f"{cat.name_zh}：{place_name}"[:200]


async def split_case(
    case_id: uuid.UUID, cmd: SplitCase, uow: UnitOfWork, actor: Actor, triage: Triage
) -> Case:
    """Undo a wrong merge: the case is handled on its own; its reporter stops following."""
    case = await repository.get_case(uow.session, case_id, lock=True)
    if case is None:
        raise NotFound(str(case_id))
    if case.duplicate_of is None:
        raise Conflict(f"the ticket is {case.status}; it is not merged into another ticket")
    original_id = case.duplicate_of
    reporter = next(
        (p for p in await repository.parties_of(uow.session, case.id) if p.role == "reporter"),
        None,
    )
    follower_id = reporter.party_id if reporter else ""
    await uow.session.exec(
        delete(Party).where(
            Party.case_id == original_id,  # type: ignore[arg-type]
            Party.role == "follower",  # type: ignore[arg-type]
            Party.party_id == follower_id,  # type: ignore[arg-type]
        )
    )
    now = triage.now()
    case.duplicate_of = None
    # The event carries the facts; the officer's reason stays in the registry.
    case.details = {**case.details, "split_reason": cmd.reason, "split_from": str(original_id)}
    case.status, case.status_at = "filed", now
    event = new_event(
        "case.unmerged",
        CaseUnmerged(from_case_id=original_id, follower_party_id=follower_id or "unknown"),
        case_id=case.id,
        actor=actor,
        producer=PRODUCER,
        occurred_at=now,
    )
    apply_event(case, event, uow.session)
    uow.emit(event)
    return case
