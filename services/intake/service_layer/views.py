"""Intake's reads for its routes: each takes a session (or a unit of work) and answers plain,
frozen read models, so no route queries a table or holds a row it could change.

The writes stay in the use cases (filing, corrections, attachments…); what a use case answers
is turned into a read model here too (`as_case`, `as_attachment`) before a route shapes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters import repository
from services.intake.adapters.tables import (
    ApiKey,
    Attachment,
    Case,
    DepartmentUpdate,
    Party,
    PartyPoints,
    TimelineEntry,
    UserAccount,
)
from services.intake.domain.case import Case as CaseAggregate
from services.intake.domain.media import IMAGES
from services.intake.domain.open311 import CLOSED_STATES
from services.intake.domain.riders import RUNNER_ROLES
from services.intake.domain.tracking import normalise
from services.intake.service_layer import apikeys, attachments, riders, tracking, users
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork

_READ = ConfigDict(from_attributes=True, frozen=True)


class CaseRead(BaseModel):
    model_config = _READ

    id: uuid.UUID
    kind: str
    tracking_code: str
    status: str
    status_at: datetime
    channel: str
    title: str
    description: str
    category: str
    jurisdiction: str | None
    urgency: str
    latitude: float | None
    longitude: float | None
    address: str
    details: dict[str, Any]
    agency_responsible: str | None
    department_id: str | None
    status_notes: str
    expected_at: datetime | None
    duplicate_of: uuid.UUID | None
    parent_case_id: uuid.UUID | None
    open311_token: str | None
    media_url: str | None
    created_at: datetime
    updated_at: datetime


class PartyRead(BaseModel):
    model_config = _READ

    case_id: uuid.UUID
    role: str
    party_id: str
    name: str
    phone: str | None
    email: str | None
    org_code: str | None


class EntryRead(BaseModel):
    """One line of a case's timeline."""

    model_config = _READ

    id: uuid.UUID
    case_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    producer: str
    occurred_at: datetime
    actor_role: str
    actor_id: str
    text_zh: str
    text_en: str
    state: str | None
    causation_id: uuid.UUID | None


class AttachmentRead(BaseModel):
    model_config = _READ

    id: str
    case_id: uuid.UUID
    sha256: str
    media_type: str
    size_bytes: int
    filename: str


class UpdateRead(BaseModel):
    """An update a department's system posted (Open311)."""

    model_config = _READ

    update_id: str
    case_id: uuid.UUID
    status: str
    description: str
    updated_datetime: datetime
    received_at: datetime


class KeyRead(BaseModel):
    """An API key as a route needs it: who it is, what it is bound to (never its hash)."""

    model_config = _READ

    id: uuid.UUID
    name: str
    department_id: str | None
    service: str | None
    created_at: datetime
    revoked_at: datetime | None


class UserRead(BaseModel):
    """A user who logs in, as a route needs it (never the password's hash)."""

    model_config = _READ

    id: uuid.UUID
    username: str
    role: str
    actor_id: str
    name: str
    created_at: datetime
    disabled_at: datetime | None


def as_case(row: Case | CaseAggregate) -> CaseRead:
    return CaseRead.model_validate(row)


def as_attachment(row: Attachment) -> AttachmentRead:
    return AttachmentRead.model_validate(row)


def as_user(row: UserAccount) -> UserRead:
    return UserRead.model_validate(row)


def as_key(row: ApiKey) -> KeyRead:
    return KeyRead.model_validate(row)


def _entries(rows: list[TimelineEntry]) -> list[EntryRead]:
    return [EntryRead.model_validate(r) for r in rows]


def _files(rows: list[Attachment]) -> list[AttachmentRead]:
    return [AttachmentRead.model_validate(r) for r in rows]


# --- officers' cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseQuery:
    """The officers' list filters (None: not filtered on)."""

    department_id: str | None = None
    kind: str | None = None
    status: str | None = None
    category: str | None = None
    jurisdiction: str | None = None
    tracking_code: str | None = None
    filed_from: datetime | None = None
    filed_to: datetime | None = None
    respondent: str | None = None
    after: tuple[datetime, uuid.UUID] | None = None


async def case_list(session: AsyncSession, query: CaseQuery, limit: int) -> list[CaseRead]:
    """Cases newest first, after the cursor's case: `limit` of them at most."""
    stmt = select(Case)
    if query.department_id is not None:
        stmt = stmt.where(Case.department_id == query.department_id)
    for column, value in (
        (Case.kind, query.kind),
        (Case.status, query.status),
        (Case.category, query.category),
        (Case.jurisdiction, query.jurisdiction),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.tracking_code is not None:  # as the runner reads it out: any case, no dashes
        stmt = stmt.where(Case.tracking_code == normalise(query.tracking_code))
    if query.filed_from is not None:
        stmt = stmt.where(col(Case.created_at) >= query.filed_from)
    if query.filed_to is not None:
        stmt = stmt.where(col(Case.created_at) < query.filed_to)
    if query.respondent is not None:
        named = select(Party.case_id).where(
            Party.role == "respondent",
            or_(col(Party.name).contains(query.respondent), Party.org_code == query.respondent),
        )
        stmt = stmt.where(col(Case.id).in_(named))
    if query.after is not None:
        at, last_id = query.after
        stmt = stmt.where(
            or_(
                col(Case.created_at) < at,
                (col(Case.created_at) == at) & (col(Case.id) < last_id),
            )
        )
    stmt = stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc()).limit(limit)
    return [as_case(c) for c in (await session.exec(stmt)).all()]


async def case(session: AsyncSession, case_id: uuid.UUID) -> CaseRead | None:
    row = await repository.get_case(session, case_id)
    return as_case(row) if row is not None else None


async def case_with_parties(
    session: AsyncSession, case_id: uuid.UUID
) -> tuple[CaseRead, list[PartyRead]] | None:
    row = await repository.get_case(session, case_id)
    if row is None:
        return None
    parties = await repository.parties_of(session, case_id)
    return as_case(row), [PartyRead.model_validate(p) for p in parties]


async def case_record(
    session: AsyncSession, case_id: uuid.UUID
) -> tuple[list[EntryRead], list[AttachmentRead]]:
    """A case's whole timeline and its attachments."""
    timeline = await repository.timeline_of(session, case_id)
    files = await attachments.attachments_of(session, [case_id])
    return _entries(timeline), _files(files)


async def attachment_of_case(
    session: AsyncSession, case_id: uuid.UUID, attachment_id: str
) -> AttachmentRead:
    """The case's attachment; NotFound when the case has none by this id."""
    return as_attachment(await attachments.attachment_of_case(session, case_id, attachment_id))


async def public_photo(session: AsyncSession, attachment_id: str) -> AttachmentRead | None:
    """A hazard's photo (public like its Open311 request); None for anything else."""
    row = await session.get(Attachment, attachment_id)
    found = await session.get(Case, row.case_id) if row else None
    if row is None or found is None or found.kind != "hazard" or row.media_type not in IMAGES:
        return None
    return as_attachment(row)


async def parties_by_id_hash(
    session: AsyncSession, digest: str
) -> list[tuple[PartyRead, CaseRead]]:
    """The parties with this keyed ID-number hash and their cases, newest case first."""
    rows = (
        await session.execute(
            select(Party, Case)
            .join(Case, col(Case.id) == col(Party.case_id))
            .where(col(Party.id_number_hash) == digest)
            .order_by(col(Case.created_at).desc())
            .limit(100)
        )
    ).all()
    return [(PartyRead.model_validate(p), as_case(c)) for p, c in rows]


async def runner_contact(session: AsyncSession, party_id: str) -> PartyRead | None:
    """The runner's party row on their newest report (not purged), for its phone and e-mail."""
    stmt = (
        select(Party)
        .join(Case, col(Case.id) == col(Party.case_id))
        .where(
            Party.party_id == party_id,
            col(Party.role).in_(RUNNER_ROLES),
            col(Party.purged_at).is_(None),
        )
        .order_by(col(Case.created_at).desc())
        .limit(1)
    )
    found = (await session.exec(stmt)).first()
    return PartyRead.model_validate(found) if found is not None else None


# --- riders and tracking codes -----------------------------------------------------------


async def rider_reports(uow: UnitOfWork, party_id: str) -> list[tuple[CaseRead, list[EntryRead]]]:
    """The rider's own reports, newest first, each with its whole timeline."""
    found = []
    for row, _party in await riders.cases_of(uow, party_id):
        entries = await repository.timeline_of(uow.session, row.id)
        found.append((as_case(row), _entries(entries)))
    return found


async def holder(session: AsyncSession, case_id: uuid.UUID) -> Actor:
    """Who holds a tracking code, for the audit log: the case's reporter (or complainant) by
    party id, never the code itself; the case id when no such party is on file."""
    for party in await repository.parties_of(session, case_id):
        if party.role in ("reporter", "complainant"):
            return Actor(role="reporter", id=party.party_id)
    return Actor(role="reporter", id=f"case-{case_id}")


async def case_by_code(session: AsyncSession, code: str) -> CaseRead | None:
    row = await repository.case_by_code(session, normalise(code))
    return as_case(row) if row is not None else None


@dataclass(frozen=True)
class Tracked:
    """What a tracking code shows: its own case, the case it follows (the original when merged),
    the timeline of both, its files, who holds the code and their points."""

    own: CaseRead
    followed: CaseRead
    entries: list[EntryRead]
    files: list[AttachmentRead]
    holder: Actor
    points: int


async def tracked(uow: UnitOfWork, code: str) -> Tracked | None:
    # Read inside the unit of work: leaving it rolls back and expires the rows.
    own = await repository.case_by_code(uow.session, normalise(code))
    if own is None:
        return None
    followed = await tracking.followed_case(uow, own)
    entries = await repository.timeline_of(uow.session, own.id)
    if followed.id != own.id:
        # The original's progress, never its filing (it names the original reporter's
        # tracking code, their credential) nor the original reporter's points (their balance;
        # a merged report earns none, so none of these are the follower's).
        more = await repository.timeline_of(uow.session, followed.id)
        entries += [
            e
            for e in more
            if e.event_type != "case.filed" and not e.event_type.startswith("points.")
        ]
        entries.sort(key=lambda e: e.occurred_at)
    files = await attachments.attachments_of(uow.session, [own.id])
    reporter = await holder(uow.session, own.id)
    earned = await uow.session.get(PartyPoints, reporter.id)
    return Tracked(
        own=as_case(own),
        followed=as_case(followed),
        entries=_entries(entries),
        files=_files(files),
        holder=reporter,
        points=earned.balance if earned is not None else 0,
    )


# --- accounts: users and API keys --------------------------------------------------------


async def user_by_password(session: AsyncSession, username: str, password: str) -> UserRead | None:
    """The live user with this username and password (a login), or None."""
    row = await users.authenticate(session, username, password)
    return as_user(row) if row is not None else None


async def user_list(session: AsyncSession) -> list[UserRead]:
    """Every user, oldest first."""
    return [as_user(r) for r in await users.list_users(session)]


async def api_key(session: AsyncSession, plain: str | None) -> KeyRead | None:
    """The live key matching `plain` (Open311's `api_key`, a system's client secret), or None."""
    key = await apikeys.check_key(session, plain)
    return as_key(key) if key is not None else None


async def key_list(session: AsyncSession) -> list[KeyRead]:
    """Every API key, revoked ones too, oldest first."""
    return [as_key(r) for r in await apikeys.list_keys(session)]


# --- Open311 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestQuery:
    """Open311's request filters: `ids` (None: not asked) overrides the others."""

    start: datetime
    end: datetime
    ids: list[uuid.UUID] | None = None
    service_codes: tuple[str, ...] = ()
    closed: bool | None = None  # None: open and closed alike
    page: int = 1
    size: int = 1000


async def hazard_requests(
    session: AsyncSession, query: RequestQuery
) -> tuple[list[CaseRead], list[AttachmentRead]]:
    """One page of hazards, newest first, and their attachments."""
    stmt = select(Case).where(Case.kind == "hazard")
    if query.ids is not None:
        stmt = stmt.where(col(Case.id).in_(query.ids))
    else:
        if query.service_codes:
            stmt = stmt.where(col(Case.category).in_(query.service_codes))
        if query.closed is not None:
            closed = sorted(CLOSED_STATES)
            column = col(Case.status)
            stmt = stmt.where(column.in_(closed) if query.closed else column.not_in(closed))
        stmt = stmt.where(col(Case.created_at) >= query.start, col(Case.created_at) <= query.end)
    stmt = stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc())
    stmt = stmt.offset((query.page - 1) * query.size).limit(query.size)
    cases = list((await session.exec(stmt)).all())
    files = await attachments.attachments_of(session, [c.id for c in cases])
    return [as_case(c) for c in cases], _files(files)


async def hazard_request(
    session: AsyncSession, case_id: uuid.UUID
) -> tuple[CaseRead, list[AttachmentRead]] | None:
    row = await session.get(Case, case_id)
    if row is None or row.kind != "hazard":
        return None
    files = await attachments.attachments_of(session, [row.id])
    return as_case(row), _files(files)


async def request_by_token(session: AsyncSession, token: str) -> uuid.UUID | None:
    """The service_request_id a POST's token stands for."""
    found = (await session.exec(select(Case).where(Case.open311_token == token))).first()
    return found.id if found is not None else None


async def hazard_updates(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[list[EntryRead], list[UpdateRead]]:
    """Dispatch's state changes of hazards and the departments' own posted updates, each at
    most 1000, between `start` and `end`."""
    posted = select(DepartmentUpdate.event_id)
    stmt = (
        select(TimelineEntry)
        .join(Case, col(Case.id) == col(TimelineEntry.case_id))
        .where(
            Case.kind == "hazard",
            TimelineEntry.producer == "dispatch",
            col(TimelineEntry.state).is_not(None),
            # a department's own update is listed as it posted it, not again as the state
            # change it caused
            sa.or_(
                col(TimelineEntry.causation_id).is_(None),
                col(TimelineEntry.causation_id).not_in(posted),
            ),
            col(TimelineEntry.occurred_at) >= start,
            col(TimelineEntry.occurred_at) <= end,
        )
        .order_by(col(TimelineEntry.occurred_at), col(TimelineEntry.id))
        .limit(1000)
    )
    from_departments = (
        select(DepartmentUpdate)
        .join(Case, col(Case.id) == col(DepartmentUpdate.case_id))
        .where(
            Case.kind == "hazard",
            col(DepartmentUpdate.received_at) >= start,
            col(DepartmentUpdate.received_at) <= end,
        )
        .order_by(col(DepartmentUpdate.received_at))
        .limit(1000)
    )
    entries = list((await session.exec(stmt)).all())
    posted_rows = (await session.exec(from_departments)).all()
    return _entries(entries), [UpdateRead.model_validate(u) for u in posted_rows]
