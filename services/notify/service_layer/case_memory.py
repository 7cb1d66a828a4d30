"""What notify remembers about a case from the events that pass: its parties and its handlers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select

from services.notify.adapters.tables import Contact, KnownCase
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.db import transaction_memo

# Each case's contacts as this transaction knows them (a batch reads them once, in `prepare`;
# the functions below that add or drop a contact keep this current).
_CONTACTS = "notify.batch_contacts"


async def read_contacts(uow: UnitOfWork, case_ids: Iterable[uuid.UUID]) -> None:
    """One query for the contacts of all these cases, kept for the transaction."""
    known = transaction_memo(uow.session, _CONTACTS)
    missing = {case_id for case_id in case_ids if case_id not in known}
    if not missing:
        return
    stmt = select(Contact).where(col(Contact.case_id).in_(missing))
    found = (await uow.session.exec(stmt)).all()
    known.update({case_id: [] for case_id in missing})
    for contact in found:
        known[contact.case_id].append(contact)


async def contacts_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[Contact]:
    """A case's contacts ordered by party, read at most once per transaction."""
    known = transaction_memo(uow.session, _CONTACTS)
    if case_id not in known:
        await read_contacts(uow, [case_id])
        known = transaction_memo(uow.session, _CONTACTS)
        if case_id not in known:  # outside a transaction: nothing is kept
            stmt = select(Contact).where(Contact.case_id == case_id)
            return sorted((await uow.session.exec(stmt)).all(), key=_by_party)
    return sorted(known[case_id], key=_by_party)


def known_party_ids(uow: UnitOfWork) -> set[str]:
    """The parties of every contact this transaction has read."""
    known = transaction_memo(uow.session, _CONTACTS)
    return {contact.party_id for contacts in known.values() for contact in contacts}


def _by_party(contact: Contact) -> str:
    return contact.party_id


def _forget_contacts(uow: UnitOfWork, case_id: uuid.UUID) -> None:
    transaction_memo(uow.session, _CONTACTS).pop(case_id, None)


def _contact(case_id: uuid.UUID, party: dict[str, Any], role: str | None = None) -> Contact:
    return Contact(
        case_id=case_id,
        role=role or party["role"],
        party_id=party["party_id"],
        display_name=party["display_name"],
        email=party.get("email"),
        phone_masked=party.get("phone_masked"),
        locale=party.get("locale", "zh-CN"),
    )


async def remember_case(envelope: Envelope, uow: UnitOfWork) -> KnownCase:
    """`case.filed` tells notify the case and how to reach its parties."""
    p = envelope.payload
    case = KnownCase(
        case_id=envelope.case_id,
        kind=p["kind"],
        tracking_code=p["tracking_code"],
        title=p["title"][:200],
    )
    uow.session.add(case)
    contacts = [_contact(envelope.case_id, party) for party in p.get("parties", [])]
    uow.session.add_all(contacts)
    await uow.session.flush()
    transaction_memo(uow.session, _CONTACTS)[envelope.case_id] = contacts
    return case


async def _contact_of(uow: UnitOfWork, case_id: uuid.UUID, party_id: str) -> Contact | None:
    stmt = select(Contact).where(Contact.case_id == case_id, Contact.party_id == party_id)
    return (await uow.session.exec(stmt)).first()


async def add_follower(envelope: Envelope, uow: UnitOfWork) -> None:
    """`case.merged`: the duplicate's reporter now follows the original case, reached with the
    tracking code of its own report (the duplicate, filed just before), never the original's."""
    follower = envelope.payload["follower"]
    if await _contact_of(uow, envelope.case_id, follower["party_id"]) is None:
        contact = _contact(envelope.case_id, follower, role="follower")
        duplicate_id = uuid.UUID(str(envelope.payload["duplicate_case_id"]))
        own = await uow.session.get(KnownCase, duplicate_id)
        contact.tracking_code = own.tracking_code if own is not None else None
        uow.session.add(contact)
        await uow.session.flush()
        _forget_contacts(uow, envelope.case_id)


async def drop_follower(envelope: Envelope, uow: UnitOfWork) -> None:
    """`case.unmerged`: the split case's reporter stops following the case it was merged into."""
    p = envelope.payload
    found = await _contact_of(uow, uuid.UUID(str(p["from_case_id"])), p["follower_party_id"])
    if found is not None and found.role == "follower":
        await uow.session.delete(found)
        _forget_contacts(uow, found.case_id)


async def complete_respondents(envelope: Envelope, uow: UnitOfWork) -> None:
    """`dispute.supplemented`: a respondent's new e-mail (for service of the notices to come),
    or an extra respondent, as the application now names them."""
    for party in envelope.payload.get("respondents") or []:
        found = await _contact_of(uow, envelope.case_id, party["party_id"])
        if found is None:
            uow.session.add(_contact(envelope.case_id, party, role="respondent"))
        elif found.role == "respondent":
            found.display_name = party["display_name"]
            found.email = party.get("email") or found.email
            uow.session.add(found)
    await uow.session.flush()
    _forget_contacts(uow, envelope.case_id)


def note_handlers(case: KnownCase, envelope: Envelope) -> None:
    """Keep the current mediator and department for events that do not name them, and the
    title a correction gave the case (dispatch re-sends it with the new dispatch, whichever of
    the two streams notify reads first)."""
    p = envelope.payload
    if envelope.event_type in ("case.corrected", "hazard.dispatched") and p.get("title"):
        case.title = str(p["title"])[:200]
    if envelope.event_type in ("mediator.assigned", "mediator.reassigned"):
        case.mediator_id = p["mediator_id"]
    elif envelope.event_type in ("hazard.dispatched", "hazard.reopened") and p.get("department_id"):
        case.department_id = p["department_id"]
