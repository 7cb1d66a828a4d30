"""What notify remembers about a case from the events that pass: its parties and its handlers.

Cases and contacts are rows (`adapters/case_store.py`), read once per transaction (a batch
reads them up front, in `planning.prepare`) and written when it commits; what this module
changes in between, it changes in the transaction's memory too, so later events of the batch
see it without a query."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from services.notify.adapters import case_store
from services.notify.adapters.case_store import Case, Party
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.db import transaction_memo

# Each case as this transaction knows it (None: not known), and each case's contacts.
_CASES, _CONTACTS = "notify.batch_cases", "notify.batch_contacts"


async def read_cases(
    uow: UnitOfWork, case_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Case | None]:
    """These cases (None: notify does not know it), one query for those not read yet."""
    known = transaction_memo(uow.session, _CASES)
    missing = {case_id for case_id in case_ids if case_id not in known}
    if missing:
        found = await case_store.read_cases(uow.session, missing)
        known.update({case_id: found.get(case_id) for case_id in missing})
    return known


async def known_case(uow: UnitOfWork, case_id: uuid.UUID) -> Case | None:
    found: Case | None = (await read_cases(uow, [case_id])).get(case_id)
    return found


async def read_contacts(uow: UnitOfWork, case_ids: Iterable[uuid.UUID]) -> None:
    """One query for the contacts of all these cases, kept for the transaction."""
    known = transaction_memo(uow.session, _CONTACTS)
    missing = {case_id for case_id in case_ids if case_id not in known}
    if not missing:
        return
    found = await case_store.read_contacts(uow.session, missing)
    known.update({case_id: [] for case_id in missing})
    for contact in found:
        known[contact.case_id].append(contact)


async def contacts_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[Party]:
    """A case's contacts ordered by party, read at most once per transaction."""
    await read_contacts(uow, [case_id])
    known = transaction_memo(uow.session, _CONTACTS)
    if case_id not in known:  # outside a transaction: nothing is kept
        return sorted(await case_store.read_contacts(uow.session, [case_id]), key=_by_party)
    return sorted(known[case_id], key=_by_party)


def known_party_ids(uow: UnitOfWork) -> set[str]:
    """The parties of every contact this transaction has read."""
    known = transaction_memo(uow.session, _CONTACTS)
    return {contact.party_id for contacts in known.values() for contact in contacts}


def _by_party(contact: Party) -> str:
    return contact.party_id


def _contact(
    case_id: uuid.UUID,
    party: dict[str, Any],
    role: str | None = None,
    tracking_code: str | None = None,
) -> Party:
    return Party(
        id=uuid.uuid4(),
        case_id=case_id,
        role=role or party["role"],
        party_id=party["party_id"],
        display_name=party["display_name"],
        email=party.get("email"),
        phone_masked=party.get("phone_masked"),
        locale=party.get("locale", "zh-CN"),
        tracking_code=tracking_code,
    )


async def remember_case(envelope: Envelope, uow: UnitOfWork) -> Case:
    """`case.filed` tells notify the case and how to reach its parties (written at commit)."""
    p = envelope.payload
    case = Case(
        case_id=envelope.case_id,
        kind=p["kind"],
        tracking_code=p["tracking_code"],
        title=p["title"][:200],
    )
    contacts = [_contact(envelope.case_id, party) for party in p.get("parties", [])]
    work = case_store.pending(uow.session)
    work.new_cases[case.case_id] = case
    work.contacts.extend(contact._asdict() for contact in contacts)
    transaction_memo(uow.session, _CASES)[case.case_id] = case
    transaction_memo(uow.session, _CONTACTS)[case.case_id] = contacts
    return case


async def _contact_of(uow: UnitOfWork, case_id: uuid.UUID, party_id: str) -> Party | None:
    return next((c for c in await contacts_of(uow, case_id) if c.party_id == party_id), None)


async def add_follower(envelope: Envelope, uow: UnitOfWork) -> None:
    """`case.merged`: the duplicate's reporter now follows the original case, reached with the
    tracking code of its own report (the duplicate, filed just before), never the original's."""
    follower = envelope.payload["follower"]
    if await _contact_of(uow, envelope.case_id, follower["party_id"]) is None:
        duplicate_id = uuid.UUID(str(envelope.payload["duplicate_case_id"]))
        own = await known_case(uow, duplicate_id)
        contact = _contact(
            envelope.case_id,
            follower,
            role="follower",
            tracking_code=own.tracking_code if own is not None else None,
        )
        case_store.pending(uow.session).contacts.append(contact._asdict())
        transaction_memo(uow.session, _CONTACTS)[envelope.case_id].append(contact)


async def drop_follower(envelope: Envelope, uow: UnitOfWork) -> None:
    """`case.unmerged`: the split case's reporter stops following the case it was merged into."""
    p = envelope.payload
    case_id = uuid.UUID(str(p["from_case_id"]))
    found = await _contact_of(uow, case_id, p["follower_party_id"])
    if found is not None and found.role == "follower":
        await case_store.flush_pending(uow.session)  # it may have been added in this batch
        await case_store.delete_contact(uow.session, found.id)
        _replace_contact(uow, found, None)


async def complete_respondents(envelope: Envelope, uow: UnitOfWork) -> None:
    """`dispute.supplemented`: a respondent's new e-mail (for service of the notices to come),
    or an extra respondent, as the application now names them."""
    for party in envelope.payload.get("respondents") or []:
        found = await _contact_of(uow, envelope.case_id, party["party_id"])
        if found is None:
            contact = _contact(envelope.case_id, party, role="respondent")
            case_store.pending(uow.session).contacts.append(contact._asdict())
            transaction_memo(uow.session, _CONTACTS)[envelope.case_id].append(contact)
        elif found.role == "respondent":
            await case_store.flush_pending(uow.session)  # it may have been added in this batch
            changed = found._replace(
                display_name=party["display_name"], email=party.get("email") or found.email
            )
            await case_store.update_contact(
                uow.session, found.id, display_name=changed.display_name, email=changed.email
            )
            _replace_contact(uow, found, changed)


def _replace_contact(uow: UnitOfWork, old: Party, new: Party | None) -> None:
    """Keep the transaction's memory of the case's contacts as the rows now are."""
    known = transaction_memo(uow.session, _CONTACTS)
    if old.case_id in known:
        kept = [new if c.id == old.id else c for c in known[old.case_id]]
        known[old.case_id] = [c for c in kept if c is not None]


def note_handlers(uow: UnitOfWork, case: Case, envelope: Envelope) -> None:
    """Keep the current mediator and department for events that do not name them, and the
    title a correction gave the case (dispatch re-sends it with the new dispatch, whichever of
    the two streams notify reads first)."""
    p = envelope.payload
    changes: dict[str, Any] = {}
    if envelope.event_type in ("case.corrected", "hazard.dispatched") and p.get("title"):
        changes["title"] = str(p["title"])[:200]
    if envelope.event_type in ("mediator.assigned", "mediator.reassigned"):
        changes["mediator_id"] = p["mediator_id"]
    elif envelope.event_type in ("hazard.dispatched", "hazard.reopened") and p.get("department_id"):
        changes["department_id"] = p["department_id"]
    if changes:
        case_store.change_case(uow.session, case, **changes)
