"""Use cases of the front door: file a dispute, file a hazard."""

from __future__ import annotations

import uuid

from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.adapters.tables import Case, Party
from services.intake.domain import catalogue
from services.intake.domain.commands import FileDispute, FileHazard, PersonIn
from services.intake.domain.errors import OutsideServiceArea, UnknownCategory
from services.intake.domain.privacy import mask_phone
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.projection import apply_event
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, DisputeDetails, HazardDetails
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"


def _party_row(case_id: uuid.UUID, role: str, person: PersonIn) -> Party:
    return Party(
        case_id=case_id,
        role=role,
        party_id=f"p-{uuid.uuid4().hex[:16]}",
        name=person.name,
        phone=person.phone,
        email=str(person.email) if person.email else None,
        locale=person.locale,
    )


def _party_ref(row: Party) -> PartyRef:
    return PartyRef(
        role=row.role,
        party_id=row.party_id,
        display_name=row.name,
        email=row.email,
        phone_masked=mask_phone(row.phone) if row.phone else None,
        locale=row.locale,
    )


async def file_dispute(cmd: FileDispute, uow: UnitOfWork, actor: Actor) -> Case:
    """Register a dispute and announce it; an oral application keeps the officer's record."""
    case = Case(
        kind="dispute",
        tracking_code=new_tracking_code(),
        channel="oral" if cmd.oral_application else "officer",
        title=f"{catalogue.DISPUTE_TYPES[cmd.dispute_type][0]}：{cmd.respondents[0].name}",
        description=cmd.facts,
        category=cmd.dispute_type,
        details=cmd.model_dump(
            mode="json",
            include={
                "claim",
                "claim_amount_yuan",
                "desired_outcome",
                "platform_worker",
                "dispute_arose_on",
                "oral_application",
            },
        ),
    )
    complainant = _party_row(case.id, "complainant", cmd.complainant)
    respondents = [
        Party(
            case_id=case.id,
            role="respondent",
            party_id=f"org-{r.org_code}" if r.org_code else f"org-{uuid.uuid4().hex[:12]}",
            name=r.name,
            email=str(r.email) if r.email else None,
            org_code=r.org_code,
        )
        for r in cmd.respondents
    ]
    uow.session.add(case)
    uow.session.add_all([complainant, *respondents])
    payload = CaseFiled(
        kind="dispute",
        tracking_code=case.tracking_code,
        channel=case.channel,
        title=case.title,
        description=case.description,
        parties=[_party_ref(p) for p in (complainant, *respondents)],
        dispute=DisputeDetails(
            dispute_type=cmd.dispute_type,
            claim=cmd.claim,
            claim_amount_yuan=cmd.claim_amount_yuan,
            desired_outcome=cmd.desired_outcome,
            platform_worker=cmd.platform_worker,
            oral_application=cmd.oral_application is not None,
            dispute_arose_on=cmd.dispute_arose_on,
        ),
    )
    await _announce(case, payload, uow, actor)
    return case


async def file_hazard(
    cmd: FileHazard, uow: UnitOfWork, actor: Actor, jurisdictions: JurisdictionMap, channel: str
) -> Case:
    """Triage (category, jurisdiction, urgency), register and announce a hazard."""
    cat = catalogue.category(cmd.category)
    if cat is None:
        raise UnknownCategory(cmd.category)
    place = jurisdictions.locate(cmd.latitude, cmd.longitude)
    if place is None:
        raise OutsideServiceArea(f"({cmd.latitude}, {cmd.longitude})")
    urgency = catalogue.urgency_of(cat, cmd.description)
    case = Case(
        kind="hazard",
        tracking_code=new_tracking_code(),
        channel=channel,
        title=f"{cat.name_zh}：{place.name_zh}",
        description=cmd.description,
        category=cat.code,
        jurisdiction=place.code,
        urgency=urgency,
        latitude=cmd.latitude,
        longitude=cmd.longitude,
        address=cmd.address,
    )
    reporter = _party_row(case.id, "reporter", cmd.reporter)
    uow.session.add(case)
    uow.session.add(reporter)
    payload = CaseFiled(
        kind="hazard",
        tracking_code=case.tracking_code,
        channel=channel,
        title=case.title,
        description=case.description,
        jurisdiction=place.code,
        parties=[_party_ref(reporter)],
        hazard=HazardDetails(
            category=cat.code,
            location=GeoPoint(lat=cmd.latitude, lng=cmd.longitude),
            address=cmd.address,
            urgency=urgency,
        ),
    )
    await _announce(case, payload, uow, actor)
    return case


async def _announce(case: Case, payload: CaseFiled, uow: UnitOfWork, actor: Actor) -> None:
    event = new_event("case.filed", payload, case_id=case.id, actor=actor, producer=PRODUCER)
    case.status = "filed"
    case.status_at = event.occurred_at
    apply_event(case, event, uow.session)
    uow.emit(event)
    await uow.commit()
