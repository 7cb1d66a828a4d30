"""补充申请材料: an officer completes a dispute's application before the committee decides.

People's Mediation practice lets an incomplete application be completed while it awaits
acceptance; once accepted, rejected or closed the application is what it is (409). The fields
are filing's own; the case row changes and `dispute.supplemented` is staged in one unit of work.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, Party
from services.intake.domain.commands import RespondentIn, SupplementDispute
from services.intake.domain.errors import Conflict, InvalidField, NotFound
from services.intake.service_layer.filing import dispute_town, party_ref, respondent_rows
from services.intake.service_layer.projection import apply_event
from services.intake.service_layer.triage import Triage
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint
from shared.contracts.events.intake import DisputeSupplemented
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"
# Filed, or registered by mediation for the committee's review: not yet decided.
AWAITING_ACCEPTANCE = frozenset({"filed", "registered", "acceptance_review"})
MAX_FACTS = 4000  # the case's description, as at filing
SHANGHAI = ZoneInfo("Asia/Shanghai")
# What the case row keeps as at filing (details), when given.
_DETAILS = (
    "claim",
    "claim_amount_yuan",
    "desired_outcome",
    "workplace_address",
    "latitude",
    "longitude",
    "preferred_station_id",
)


async def _awaiting(uow: UnitOfWork, case_id: uuid.UUID) -> Case:
    case = await repository.get_case(uow.session, case_id, lock=True)
    if case is None or case.kind != "dispute":
        raise NotFound(str(case_id))
    if case.parent_case_id is not None or "group" in (case.details or {}):
        raise Conflict("a group dispute is completed by adding members, not supplemented")
    if case.status not in AWAITING_ACCEPTANCE:
        raise Conflict(
            f"the dispute is {case.status}; only an application awaiting acceptance"
            " can be supplemented"
        )
    return case


def _appended(case: Case, facts: str, now: datetime) -> str:
    day = now.astimezone(SHANGHAI)
    text = f"{case.description}\n【{day.year}年{day.month}月{day.day}日补充】{facts}"
    if len(text) > MAX_FACTS:
        raise InvalidField("facts", f"the facts would exceed {MAX_FACTS} characters")
    return text


def _seal_id_number(applicant: Party, id_number: str, triage: Triage) -> None:
    if triage.cipher is None:
        raise RuntimeError("intake has no PII keys: an ID number cannot be stored")
    applicant.id_number_enc = triage.cipher.encrypt(id_number, applicant.party_id)
    applicant.id_number_hash = triage.cipher.lookup_hash(id_number)


def _merge_respondents(
    case_id: uuid.UUID, known: list[Party], given: list[RespondentIn]
) -> list[Party]:
    """A given respondent matching one on file (credit code, else name) completes it (its
    e-mail for service, its code); any other is an extra respondent. The whole list after."""
    rows = list(known)
    for r in given:
        match = next(
            (
                p
                for p in rows
                if (r.org_code and p.org_code == r.org_code)
                or (not (r.org_code and p.org_code) and p.name == r.name)
            ),
            None,
        )
        if match is None:
            rows += respondent_rows(case_id, [r])
            continue
        if r.email:
            match.email = str(r.email)
        match.org_code = match.org_code or r.org_code
    return rows


async def supplement_dispute(
    case_id: uuid.UUID, cmd: SupplementDispute, uow: UnitOfWork, actor: Actor, triage: Triage
) -> Case:
    """Complete the application: the given fields change, the facts grow, the timeline says so."""
    case = await _awaiting(uow, case_id)
    now = triage.now()
    parties = await repository.parties_of(uow.session, case.id)
    details = dict(case.details)
    for name in _DETAILS:
        if getattr(cmd, name) is not None:
            details[name] = getattr(cmd, name)
    if cmd.facts is not None:
        case.description = _appended(case, cmd.facts, now)
    if cmd.id_number is not None:
        applicant = next(p for p in parties if p.role == "complainant")
        _seal_id_number(applicant, cmd.id_number, triage)
        uow.session.add(applicant)
    respondents = None
    if cmd.respondents is not None:
        known = [p for p in parties if p.role == "respondent"]
        respondents = _merge_respondents(case.id, known, cmd.respondents)
        uow.session.add_all(respondents)
    town = None
    if cmd.latitude is not None or cmd.workplace_address is not None:
        town = dispute_town(cmd, triage)
        case.jurisdiction = town or case.jurisdiction
    supplements = [*details.get("supplements", []), {"at": now.isoformat(), "note": cmd.note}]
    case.details = details | {"supplements": supplements[-20:]}
    payload = DisputeSupplemented(
        fields=cmd.given(),
        note=cmd.note,
        claim=cmd.claim,
        claim_amount_yuan=cmd.claim_amount_yuan,
        facts_added=cmd.facts,
        desired_outcome=cmd.desired_outcome,
        respondents=[party_ref(p) for p in respondents] if respondents is not None else None,
        workplace_address=cmd.workplace_address,
        location=(
            GeoPoint(lat=cmd.latitude, lng=cmd.longitude)
            if cmd.latitude is not None and cmd.longitude is not None
            else None
        ),
        jurisdiction=town,
        preferred_station_id=cmd.preferred_station_id,
    )
    event = new_event(
        "dispute.supplemented",
        payload,
        case_id=case.id,
        actor=actor,
        producer=PRODUCER,
        occurred_at=now,
    )
    apply_event(case, event, uow.session)
    uow.emit(event)
    return case
