"""Use cases of the front door: file a dispute, file a hazard (merging a nearby duplicate).

They stage the change and its events in the unit of work; the caller commits, so that an
idempotency record can join the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, Party
from services.intake.domain import catalogue
from services.intake.domain.commands import FileDispute, FileHazard, PersonIn
from services.intake.domain.errors import UnknownCategory
from services.intake.domain.privacy import mask_phone
from services.intake.domain.receipt import received_moment
from services.intake.domain.riders import email_key, phone_key
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.projection import apply_event
from services.intake.service_layer.triage import Triage, find_duplicate
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, CaseMerged, DisputeDetails, HazardDetails
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"


def _party_row(case_id: uuid.UUID, role: str, person: PersonIn, triage: Triage) -> Party:
    party = Party(
        case_id=case_id,
        role=role,
        party_id=f"p-{uuid.uuid4().hex[:16]}",
        name=person.name,
        phone=person.phone,
        email=str(person.email) if person.email else None,
        locale=person.locale,
    )
    if triage.cipher is not None:
        if person.phone:
            party.phone_hash = phone_key(person.phone, triage.cipher.lookup_hash)
        if person.email:
            party.email_hash = email_key(str(person.email), triage.cipher.lookup_hash)
    if person.id_number:
        if triage.cipher is None:
            raise RuntimeError("intake has no PII keys: an ID number cannot be stored")
        # Sealed to its party row: a ciphertext copied to another row does not open.
        party.id_number_enc = triage.cipher.encrypt(person.id_number, party.party_id)
        party.id_number_hash = triage.cipher.lookup_hash(person.id_number)
    return party


async def _runner(
    uow: UnitOfWork, case_id: uuid.UUID, role: str, person: PersonIn, triage: Triage
) -> Party:
    """A runner's party row: the party they already are when a report of theirs is on file
    with the same phone (else e-mail), matched by keyed hash, so their points add up."""
    party = _party_row(case_id, role, person, triage)
    known = await repository.runner_party_id(uow.session, party.phone_hash, party.email_hash)
    if known is not None and known != party.party_id:
        if party.id_number_enc is not None and triage.cipher is not None and person.id_number:
            party.id_number_enc = triage.cipher.encrypt(person.id_number, known)
        party.party_id = known
    return party


def party_ref(row: Party, role: str | None = None) -> PartyRef:
    return PartyRef(
        role=role or row.role,
        party_id=row.party_id,
        display_name=row.name,
        email=row.email,
        phone_masked=mask_phone(row.phone) if row.phone else None,
        locale=row.locale,
    )


async def file_dispute(cmd: FileDispute, uow: UnitOfWork, actor: Actor, triage: Triage) -> Case:
    """Register a dispute and announce it; an oral application keeps the officer's record."""
    now = triage.now()
    received_at, late = received_moment(cmd.received_at, cmd.received_by, cmd.received_via, now)
    details = cmd.model_dump(
        mode="json",
        include={
            "claim",
            "claim_amount_yuan",
            "desired_outcome",
            "platform_worker",
            "dispute_arose_on",
            "oral_application",
        },
    )
    details["received_at"] = received_at.isoformat()
    if late:
        details["received_by"], details["received_via"] = cmd.received_by, cmd.received_via
    if cmd.oral_application:
        # The server's own time, not the client's, is what the record proves.
        details["oral_application"]["recorded_at"] = now.isoformat()
    case = Case(
        kind="dispute",
        tracking_code=new_tracking_code(),
        channel="oral" if cmd.oral_application else "officer",
        title=f"{catalogue.DISPUTE_TYPES[cmd.dispute_type][0]}：{cmd.respondents[0].name}",
        description=cmd.facts,
        category=cmd.dispute_type,
        details=details,
        created_at=now,
        updated_at=now,
    )
    complainant = await _runner(uow, case.id, "complainant", cmd.complainant, triage)
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
        parties=[party_ref(p) for p in (complainant, *respondents)],
        dispute=DisputeDetails(
            dispute_type=cmd.dispute_type,
            claim=cmd.claim,
            claim_amount_yuan=cmd.claim_amount_yuan,
            desired_outcome=cmd.desired_outcome,
            platform_worker=cmd.platform_worker,
            oral_application=cmd.oral_application is not None,
            dispute_arose_on=cmd.dispute_arose_on,
            received_at=received_at,
            received_by=cmd.received_by if late else None,
            received_via=cmd.received_via if late else None,
            location=(
                GeoPoint(lat=cmd.latitude, lng=cmd.longitude)
                if cmd.latitude is not None and cmd.longitude is not None
                else None
            ),
        ),
    )
    _announce(case, payload, uow, actor, triage)
    return case


async def file_hazard(
    cmd: FileHazard,
    uow: UnitOfWork,
    actor: Actor,
    triage: Triage,
    channel: str,
    *,
    attributes: dict[str, Any] | None = None,
    media_url: str | None = None,
    open311_token: str | None = None,
) -> Case:
    """Triage (category, jurisdiction, urgency), register and announce a hazard.

    A report of the same category near an open one is merged: it is registered (with its
    own tracking code) as a duplicate, and its reporter follows the original.
    """
    cat = catalogue.category(cmd.category)
    if cat is None:
        raise UnknownCategory(cmd.category)
    place = triage.place(cmd.latitude, cmd.longitude)
    urgency = catalogue.urgency_of(cat, cmd.description)
    if attributes and attributes.get("severity") == "danger":
        urgency = catalogue.at_least(urgency, "high")
    match = await find_duplicate(uow.session, triage, cat.code, cmd.latitude, cmd.longitude)
    now = triage.now()
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
        details={"attributes": attributes} if attributes else {},
        duplicate_of=match.case_id if match else None,
        open311_token=open311_token,
        media_url=media_url,
        created_at=now,
        updated_at=now,
    )
    reporter = await _runner(uow, case.id, "reporter", cmd.reporter, triage)
    uow.session.add(case)
    uow.session.add(reporter)
    payload = CaseFiled(
        kind="hazard",
        tracking_code=case.tracking_code,
        channel=channel,
        title=case.title,
        description=case.description,
        jurisdiction=place.code,
        parties=[party_ref(reporter)],
        hazard=HazardDetails(
            category=cat.code,
            location=GeoPoint(lat=cmd.latitude, lng=cmd.longitude),
            address=cmd.address,
            urgency=urgency,
        ),
        duplicate_of=case.duplicate_of,
    )
    _announce(case, payload, uow, actor, triage)
    if match is not None:
        case.status = "duplicate"
        await _merge(case, reporter, match.case_id, match.distance_m, uow, actor, triage)
    return case


async def _merge(
    duplicate: Case,
    reporter: Party,
    original_id: uuid.UUID,
    distance_m: float,
    uow: UnitOfWork,
    actor: Actor,
    triage: Triage,
) -> None:
    """The duplicate's reporter becomes a follower of the original (told by notify)."""
    original = await repository.get_case(uow.session, original_id, lock=True)
    if original is None:  # found a moment ago in the same transaction
        raise RuntimeError(f"original case {original_id} vanished")
    follower = Party(
        case_id=original.id,
        role="follower",
        party_id=reporter.party_id,
        name=reporter.name,
        phone=reporter.phone,
        email=reporter.email,
        locale=reporter.locale,
        phone_hash=reporter.phone_hash,
        email_hash=reporter.email_hash,
    )
    uow.session.add(follower)
    event = new_event(
        "case.merged",
        CaseMerged(
            duplicate_case_id=duplicate.id,
            follower=party_ref(follower),
            distance_m=distance_m,
        ),
        case_id=original.id,
        actor=actor,
        producer=PRODUCER,
        occurred_at=triage.now(),
    )
    apply_event(original, event, uow.session)
    uow.emit(event)


def _announce(
    case: Case, payload: CaseFiled, uow: UnitOfWork, actor: Actor, triage: Triage
) -> None:
    event = new_event(
        "case.filed",
        payload,
        case_id=case.id,
        actor=actor,
        producer=PRODUCER,
        occurred_at=triage.now(),
    )
    case.status = "filed"
    case.status_at = event.occurred_at
    apply_event(case, event, uow.session)
    uow.emit(event)
