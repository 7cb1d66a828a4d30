"""What filing builds before a case is announced: its parties (a runner keeps the party id
they already have), a dispute's details and town, and the dispute case itself."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.intake.domain import catalogue
from services.intake.domain.arose import check_arose_on
from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party
from services.intake.domain.commands import FileDispute, PersonIn, SupplementDispute
from services.intake.domain.receipt import received_moment
from services.intake.domain.repository import CaseRepository
from services.intake.domain.riders import email_key, phone_key
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.case_repository import settle
from services.intake.service_layer.context import Context
from shared.contracts.envelope import Actor
from shared.contracts.events.common import GeoPoint
from shared.contracts.events.intake import CaseFiled, DisputeDetails
from shared.messaging.uow import UnitOfWork


def new_party(case_id: uuid.UUID, role: str, person: PersonIn, ctx: Context) -> Party:
    party = Party(
        case_id=case_id,
        role=role,
        party_id=f"p-{uuid.uuid4().hex[:16]}",
        name=person.name,
        phone=person.phone,
        email=str(person.email) if person.email else None,
        locale=person.locale,
    )
    if ctx.cipher is not None:
        if person.phone:
            party.phone_hash = phone_key(person.phone, ctx.cipher.lookup_hash)
        if person.email:
            party.email_hash = email_key(str(person.email), ctx.cipher.lookup_hash)
    if person.id_number:
        if ctx.cipher is None:
            raise RuntimeError("intake has no PII keys: an ID number cannot be stored")
        # Sealed to its party: a ciphertext copied to another party does not open.
        party.id_number_enc = ctx.cipher.encrypt(person.id_number, party.party_id)
        party.id_number_hash = ctx.cipher.lookup_hash(person.id_number)
    return party


async def runner(
    cases: CaseRepository, case_id: uuid.UUID, role: str, person: PersonIn, ctx: Context
) -> Party:
    """A runner's party: the party they already are when a report of theirs is on file with
    the same phone (else e-mail), matched by keyed hash, so their points add up."""
    party = new_party(case_id, role, person, ctx)
    known = await cases.runner_party_id(party.phone_hash, party.email_hash)
    if known is not None and known != party.party_id:
        if party.id_number_enc is not None and ctx.cipher is not None and person.id_number:
            party.id_number_enc = ctx.cipher.encrypt(person.id_number, known)
        party.party_id = known
    return party


def copy_party(case_id: uuid.UUID, party: Party, role: str) -> Party:
    return Party(
        case_id=case_id,
        role=role,
        party_id=party.party_id,
        name=party.name,
        phone=party.phone,
        email=party.email,
        locale=party.locale,
        phone_hash=party.phone_hash,
        email_hash=party.email_hash,
    )


def dispute_town(cmd: FileDispute | SupplementDispute, ctx: Context) -> str | None:
    """The town of the workplace or station: the map pick, else a town named in the address."""
    if cmd.latitude is not None and cmd.longitude is not None:
        found = ctx.jurisdictions.locate(cmd.latitude, cmd.longitude)
        if found is not None:
            return found.code
    if cmd.workplace_address:
        named = ctx.jurisdictions.locate_address(cmd.workplace_address)
        if named is not None:
            return named[0].code
    return None


def dispute_details(cmd: FileDispute, ctx: Context) -> tuple[dict[str, Any], DisputeDetails]:
    """The case's details and the event's: claim, receipt, oral record, location."""
    now = ctx.now()
    received_at, late = received_moment(cmd.received_at, cmd.received_by, cmd.received_via, now)
    arose_on = check_arose_on(cmd.dispute_arose_on, cmd.dispute_arose_on_unknown, received_at, now)
    details = cmd.model_dump(
        mode="json",
        include={
            "claim",
            "claim_amount_yuan",
            "desired_outcome",
            "platform_worker",
            "dispute_arose_on",
            "oral_application",
            "workplace_address",
        },
    )
    # Where the worker works, and where a session can be held (J13), when given.
    for name in ("latitude", "longitude", "preferred_station_id"):
        if getattr(cmd, name) is not None:
            details[name] = getattr(cmd, name)
    details["received_at"] = received_at.isoformat()
    if arose_on is None:
        details["dispute_arose_on_unknown"] = True
    if late:
        details["received_by"], details["received_via"] = cmd.received_by, cmd.received_via
    if cmd.oral_application:
        # The server's own time, not the client's, is what the record proves.
        details["oral_application"]["recorded_at"] = now.isoformat()
    event = DisputeDetails(
        dispute_type=cmd.dispute_type,
        claim=cmd.claim,
        claim_amount_yuan=cmd.claim_amount_yuan,
        desired_outcome=cmd.desired_outcome,
        platform_worker=cmd.platform_worker,
        oral_application=cmd.oral_application is not None,
        dispute_arose_on=arose_on,
        dispute_arose_on_unknown=arose_on is None,
        received_at=received_at,
        received_by=cmd.received_by if late else None,
        received_via=cmd.received_via if late else None,
        location=(
            GeoPoint(lat=cmd.latitude, lng=cmd.longitude)
            if cmd.latitude is not None and cmd.longitude is not None
            else None
        ),
    )
    return details, event


def dispute_case(
    cmd: FileDispute, details: dict[str, Any], town: str | None, now: datetime
) -> Case:
    return Case(
        id=uuid.uuid4(),
        kind="dispute",
        tracking_code=new_tracking_code(),
        channel="oral" if cmd.oral_application else "officer",
        title=f"{catalogue.DISPUTE_TYPES[cmd.dispute_type][0]}：{cmd.respondents[0].name}",
        description=cmd.facts,
        category=cmd.dispute_type,
        jurisdiction=town,
        details=details,
        created_at=now,
        updated_at=now,
        status_at=now,
    )


async def announce(
    uow: UnitOfWork,
    cases: CaseRepository,
    case: Case,
    payload: CaseFiled,
    actor: Actor,
    ctx: Context,
) -> None:
    """`case.filed`, queued and on the case's timeline, stamped with the service's time."""
    now = ctx.now()
    case.file(payload, actor, now)
    await settle(uow, cases, case, now)
