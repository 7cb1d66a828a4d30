"""What planning reads and writes besides deliveries, as Core statements built once: the cases
notify knows, their parties' contacts and the parties' preferences (rows, no ORM objects).

Planning's writes of a transaction (a batch of events) are kept in `Pending` and go out
together, one executemany per table, when the transaction commits (a `before_commit` listener
on the session) or earlier, when something is about to read or change those tables directly
(`flush_pending`): the ORM's unit of work and autoflush, for these three tables only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.tables import Contact as ContactTable
from services.notify.adapters.tables import Delivery as DeliveryTable
from services.notify.adapters.tables import KnownCase as KnownCaseTable
from services.notify.adapters.tables import Preference as PreferenceTable
from shared.platform.db import conflict_insert

KNOWN_CASE: sa.Table = KnownCaseTable.__table__  # type: ignore[attr-defined]
CONTACT: sa.Table = ContactTable.__table__  # type: ignore[attr-defined]
PREFERENCE: sa.Table = PreferenceTable.__table__  # type: ignore[attr-defined]
DELIVERY: sa.Table = DeliveryTable.__table__  # type: ignore[attr-defined]


@dataclass
class Case:
    """A `known_case` row as planning uses it (templates read `case.title`, `.kind`, ...)."""

    case_id: uuid.UUID
    kind: str
    tracking_code: str
    title: str
    mediator_id: str | None = None
    department_id: str | None = None
    closed_at: datetime | None = None


CASE_COLUMNS = tuple(f.name for f in fields(Case))


class Party(NamedTuple):
    """A `contact` row: how to reach one party of one case."""

    id: uuid.UUID
    case_id: uuid.UUID
    role: str
    party_id: str
    display_name: str
    email: str | None
    phone_masked: str | None
    locale: str
    tracking_code: str | None


class Choice(NamedTuple):
    """A `preference` row: a party's own choice of channels and quiet hours."""

    party_id: str
    opted_out: bool
    channels: str | None
    quiet_start: str | None
    quiet_end: str | None


_CASES = sa.select(*(KNOWN_CASE.c[name] for name in CASE_COLUMNS)).where(
    KNOWN_CASE.c.case_id.in_(sa.bindparam("ids", expanding=True))
)
_CONTACTS = sa.select(*(CONTACT.c[name] for name in Party._fields)).where(
    CONTACT.c.case_id.in_(sa.bindparam("ids", expanding=True))
)
_PREFERENCES = sa.select(*(PREFERENCE.c[name] for name in Choice._fields)).where(
    PREFERENCE.c.party_id.in_(sa.bindparam("ids", expanding=True))
)
_INSERT_CASE = sa.insert(KNOWN_CASE)
_INSERT_CONTACT = sa.insert(CONTACT)
_CASE_ID: sa.BindParameter[uuid.UUID] = sa.bindparam("known_case_id")
# The columns SET are those the parameters name (one compiled form per set of columns).
_UPDATE_CASE = sa.update(KNOWN_CASE).where(KNOWN_CASE.c.case_id == _CASE_ID)
_CONTACT_ID: sa.BindParameter[uuid.UUID] = sa.bindparam("contact_id")
_UPDATE_CONTACT = sa.update(CONTACT).where(CONTACT.c.id == _CONTACT_ID)
_DELETE_CONTACT = sa.delete(CONTACT).where(CONTACT.c.id == _CONTACT_ID)
# Planned deliveries: a key already stored (the event planned before) is left as it is.
_PLAN = {
    dialect: conflict_insert(dialect)(DELIVERY).on_conflict_do_nothing(
        index_elements=[DELIVERY.c.idempotency_key]
    )
    for dialect in ("postgresql", "sqlite")
}


async def read_cases(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Case]:
    await flush_pending(session)  # what this transaction wrote is read back
    conn = await session.connection()
    rows = await conn.execute(_CASES, {"ids": list(ids)})
    return {row.case_id: Case(*row) for row in rows}


async def read_contacts(session: AsyncSession, case_ids: Iterable[uuid.UUID]) -> list[Party]:
    await flush_pending(session)  # what this transaction wrote is read back
    conn = await session.connection()
    return [Party._make(row) for row in await conn.execute(_CONTACTS, {"ids": list(case_ids)})]


async def read_choices(session: AsyncSession, party_ids: Iterable[str]) -> dict[str, Choice]:
    conn = await session.connection()
    rows = await conn.execute(_PREFERENCES, {"ids": list(party_ids)})
    return {row.party_id: Choice._make(row) for row in rows}


async def update_contact(session: AsyncSession, contact_id: uuid.UUID, **values: Any) -> None:
    conn = await session.connection()
    await conn.execute(_UPDATE_CONTACT, {"contact_id": contact_id, **values})


async def delete_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    conn = await session.connection()
    await conn.execute(_DELETE_CONTACT, {"contact_id": contact_id})


@dataclass
class Pending:
    """A transaction's writes not yet sent: new cases (written as they are at flush time, so
    later changes in the same transaction go in with them), changes to stored cases, new
    contacts and planned deliveries."""

    new_cases: dict[uuid.UUID, Case] = field(default_factory=dict)
    changed: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_cases or self.changed or self.contacts or self.deliveries)


_PENDING = "notify.pending_writes"


def _held(session: Session) -> Pending | None:
    """The pending writes of the session's current transaction, if it queued any."""
    held = session.info.get(_PENDING)
    if held is None or held[0] is not session.get_transaction():
        return None
    work: Pending = held[1]
    return work


def pending(session: AsyncSession) -> Pending:
    """This transaction's pending writes (begun if need be); they are sent before it commits."""
    sync = session.sync_session
    work = _held(sync)
    if work is None:
        transaction = sync.get_transaction() or sync.begin()  # no I/O: the connection is lazy
        work = Pending()
        sync.info[_PENDING] = (transaction, work)
        if not event.contains(sync, "before_commit", _before_commit):
            event.listen(sync, "before_commit", _before_commit)
    return work


def change_case(session: AsyncSession, case: Case, **values: Any) -> None:
    """Set these values on the case, and have the stored row follow (only what differs)."""
    changes = {k: v for k, v in values.items() if getattr(case, k) != v}
    if not changes:
        return
    for name, value in changes.items():
        setattr(case, name, value)
    work = pending(session)
    if case.case_id not in work.new_cases:  # a new case goes in as it is at the flush
        work.changed.setdefault(case.case_id, {}).update(changes)


def _write(conn: sa.Connection, work: Pending) -> None:
    if work.new_cases:
        cases = [{n: getattr(c, n) for n in CASE_COLUMNS} for c in work.new_cases.values()]
        conn.execute(_INSERT_CASE, cases)
    if work.contacts:
        conn.execute(_INSERT_CONTACT, work.contacts)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for case_id, changes in work.changed.items():
        by_columns.setdefault(tuple(sorted(changes)), []).append(
            {**changes, "known_case_id": case_id}
        )
    for rows in by_columns.values():
        conn.execute(_UPDATE_CASE, rows)
    if work.deliveries:
        conn.execute(_PLAN[conn.dialect.name], work.deliveries)
    work.new_cases, work.changed, work.contacts, work.deliveries = {}, {}, [], []


def _before_commit(session: Session) -> None:
    """Runs inside AsyncSession.commit's greenlet: Core statements on the sync connection."""
    work = _held(session)
    if work:
        _write(session.connection(), work)


async def flush_pending(session: AsyncSession) -> None:
    """Send the pending writes now: before a statement that reads or changes those rows."""
    work = _held(session.sync_session)
    if work:
        conn = await session.connection()
        await conn.run_sync(_write, work)


def plan(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Queue planned deliveries (every column given) for the commit."""
    pending(session).deliveries.extend(rows)
