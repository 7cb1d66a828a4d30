"""Use cases of the front door: file a dispute, file a hazard (merging a nearby duplicate).

They stage the change and its events in the unit of work; the caller commits, so that an
idempotency record can join the same transaction.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, Party
from services.intake.domain import catalogue
from services.intake.domain.arose import check_arose_on
from services.intake.domain.commands import (
    AddMembers,
    FileDispute,
    FileHazard,
    GroupMemberIn,
    PersonIn,
    SupplementDispute,
)
from services.intake.domain.errors import Conflict, InvalidField, NotFound, UnknownCategory
from services.intake.domain.privacy import mask_phone
from services.intake.domain.receipt import received_moment
from services.intake.domain.riders import email_key, phone_key
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.projection import apply_event
from services.intake.service_layer.triage import Triage, find_duplicate
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import (
    CaseFiled,
    CaseMerged,
    DisputeDetails,
    GroupDetails,
    HazardDetails,
)
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


def dispute_town(cmd: FileDispute | SupplementDispute, triage: Triage) -> str | None:
    """The town of the workplace or station: the map pick, else a town named in the address."""
    if cmd.latitude is not None and cmd.longitude is not None:
        found = triage.jurisdictions.locate(cmd.latitude, cmd.longitude)
        if found is not None:
            return found.code
    if cmd.workplace_address:
        named = triage.jurisdictions.locate_address(cmd.workplace_address)
        if named is not None:
            return named[0].code
    return None


def _details(cmd: FileDispute, triage: Triage) -> tuple[dict[str, Any], DisputeDetails]:
    """The case row's details and the event's: claim, receipt, oral record, location."""
    now = triage.now()
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


def respondent_rows(case_id: uuid.UUID, respondents: list[Any]) -> list[Party]:
    return [
        Party(
            case_id=case_id,
            role="respondent",
            party_id=f"org-{r.org_code}" if r.org_code else f"org-{uuid.uuid4().hex[:12]}",
            name=r.name,
            email=str(r.email) if r.email else None,
            org_code=r.org_code,
        )
        for r in respondents
    ]


def _dispute_case(cmd: FileDispute, details: dict[str, Any], town: str | None, now: Any) -> Case:
    return Case(
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
    )


async def file_dispute(cmd: FileDispute, uow: UnitOfWork, actor: Actor, triage: Triage) -> Case:
    """Register a dispute and announce it; an oral application keeps the officer's record."""
    if cmd.members is not None:
        return (await file_group_dispute(cmd, uow, actor, triage))[0]
    assert cmd.complainant is not None
    now = triage.now()
    details, event_details = _details(cmd, triage)
    town = dispute_town(cmd, triage)
    case = _dispute_case(cmd, details, town, now)
    complainant = await _runner(uow, case.id, "complainant", cmd.complainant, triage)
    respondents = respondent_rows(case.id, cmd.respondents)
    uow.session.add(case)
    uow.session.add_all([complainant, *respondents])
    payload = CaseFiled(
        kind="dispute",
        tracking_code=case.tracking_code,
        channel=case.channel,
        title=case.title,
        description=case.description,
        jurisdiction=town,
        parties=[party_ref(p) for p in (complainant, *respondents)],
        dispute=event_details,
    )
    _announce(case, payload, uow, actor, triage)
    return case


async def file_group_dispute(
    cmd: FileDispute, uow: UnitOfWork, actor: Actor, triage: Triage
) -> tuple[Case, list[Case]]:
    """A group dispute (LDMAL 7): one parent case for the group, one member case per worker.

    The parent names the elected representatives (they attend and sign for the group); each
    member's case carries their own claim and amount and points at the parent, so mediation
    handles one dispute and every member is told of it under their own tracking code."""
    assert cmd.members is not None
    now = triage.now()
    details, event_details = _details(cmd, triage)
    town = dispute_town(cmd, triage)
    details["group"] = {"member_count": len(cmd.members)}
    parent = _dispute_case(cmd, details, town, now)
    parent.title = f"集体争议（{len(cmd.members)}人）{parent.title}"[:200]
    respondents = respondent_rows(parent.id, cmd.respondents)
    uow.session.add(parent)
    uow.session.add_all(respondents)
    filed = await _file_members(parent, cmd.members, respondents, uow, triage)
    member_rows = [row for _, row, _ in filed]
    elected = [row for row, m in zip(member_rows, cmd.members, strict=True) if m.representative]
    # Every representative is a complainant of the parent: they attend, sign and are invited.
    uow.session.add_all([_copy_party(parent.id, row, "complainant") for row in elected])
    event_details = event_details.model_copy(
        update={
            "group": GroupDetails(
                representative_party_ids=[r.party_id for r in elected],
                member_count=len(cmd.members),
            )
        }
    )
    payload = CaseFiled(
        kind="dispute",
        tracking_code=parent.tracking_code,
        channel=parent.channel,
        title=parent.title,
        description=parent.description,
        jurisdiction=town,
        parties=[party_ref(r, "complainant") for r in elected]
        + [party_ref(p) for p in respondents],
        dispute=event_details,
    )
    # The parent is announced first: mediation finds it when its members arrive.
    _announce(parent, payload, uow, actor, triage)
    for case, _, member_payload in filed:
        _announce(case, member_payload, uow, actor, triage)
    return parent, [case for case, _, _ in filed]


def _copy_party(case_id: uuid.UUID, row: Party, role: str) -> Party:
    return Party(
        case_id=case_id,
        role=role,
        party_id=row.party_id,
        name=row.name,
        phone=row.phone,
        email=row.email,
        locale=row.locale,
        phone_hash=row.phone_hash,
        email_hash=row.email_hash,
    )


async def _file_members(
    parent: Case,
    members: list[GroupMemberIn],
    respondents: list[Party],
    uow: UnitOfWork,
    triage: Triage,
) -> list[tuple[Case, Party, CaseFiled]]:
    """One member case per worker, with their own claim, amount and tracking code; the caller
    announces each (after the parent's own filing, for a new group)."""
    rows = []
    base = parent.details
    for member in members:
        case = Case(
            kind="dispute",
            tracking_code=new_tracking_code(),
            channel=parent.channel,
            title=f"集体争议成员：{member.name}"[:200],
            description=parent.description,
            category=parent.category,
            jurisdiction=parent.jurisdiction,
            parent_case_id=parent.id,
            details={
                "claim": member.claim or base["claim"],
                "claim_amount_yuan": member.claim_amount_yuan,
                "received_at": base["received_at"],
                "platform_worker": base["platform_worker"],
                "dispute_arose_on": base.get("dispute_arose_on"),
            },
            created_at=triage.now(),
            updated_at=triage.now(),
        )
        person = PersonIn.model_validate(
            member.model_dump(include={"name", "phone", "email", "id_number", "locale"})
        )
        row = await _runner(uow, case.id, "complainant", person, triage)
        copies = [_copy_party(case.id, r, "respondent") for r in respondents]
        for copy, r in zip(copies, respondents, strict=True):
            copy.org_code = r.org_code
        uow.session.add(case)
        uow.session.add_all([row, *copies])
        payload = CaseFiled(
            kind="dispute",
            tracking_code=case.tracking_code,
            channel=case.channel,
            title=case.title,
            description=case.description,
            jurisdiction=case.jurisdiction,
            parties=[party_ref(row), *(party_ref(c) for c in copies)],
            dispute=DisputeDetails(
                dispute_type=parent.category or "",
                claim=case.details["claim"],
                claim_amount_yuan=member.claim_amount_yuan,
                platform_worker=bool(base["platform_worker"]),
                received_at=base["received_at"],
            ),
            parent_case_id=parent.id,
        )
        rows.append((case, row, payload))
    return rows


async def add_members(
    parent_id: uuid.UUID, cmd: AddMembers, uow: UnitOfWork, actor: Actor, triage: Triage
) -> list[Case]:
    """Workers who join a group later get member cases of the same parent."""
    parent = await repository.get_case(uow.session, parent_id, lock=True)
    if parent is None or parent.kind != "dispute":
        raise NotFound(str(parent_id))
    if "group" not in (parent.details or {}):
        raise Conflict("not a group dispute: members join only a group")
    if parent.status == "closed":
        raise Conflict("the group dispute is closed")
    respondents = [
        p for p in await repository.parties_of(uow.session, parent.id) if p.role == "respondent"
    ]
    known = await repository.member_id_hashes(uow.session, parent.id)
    if triage.cipher is not None:
        for member in cmd.members:
            if member.id_number and triage.cipher.lookup_hash(member.id_number) in known:
                raise InvalidField("members", f"{member.name} is already a member of this group")
    filed = await _file_members(parent, cmd.members, respondents, uow, triage)
    for case, _, payload in filed:
        _announce(case, payload, uow, actor, triage)
    details = dict(parent.details)
    count = int(details["group"]["member_count"]) + len(filed)
    details["group"] = {"member_count": count}
    parent.details = details
    # The title counts the members too: "集体争议（13人）" once the thirteenth has joined.
    parent.title = re.sub(r"^集体争议（\d+人）", f"集体争议（{count}人）", parent.title)[:200]
    uow.session.add(parent)
    return [case for case, _, _ in filed]


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
    case: Case,
    payload: CaseFiled,
    uow: UnitOfWork,
    actor: Actor,
    triage: Triage,
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
