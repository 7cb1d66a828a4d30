"""The SQL case repository: `case` rows <-> the Case aggregate, with its timeline rows, its
parties, a rider's points and the departments' posted updates, in the same transaction.

New cases, their parties and timeline entries are held for the commit as rows of Core
statements built once (`repository.write_held_rows` writes them early when the transaction
reads those tables), and so are the projection's changes to the cases a batch locked (as Core
rows: one UPDATE per case and batch). A case loaded as an ORM row (the officers' use cases) is
saved onto that row, in place (changed attribute by attribute), so a row other code of the
same transaction holds stays current.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters import repository
from services.intake.adapters.repository import (
    CASE_INSERT,
    CASE_UPDATE,
    CASE_UPDATES,
    LOADED_CASES,
    NEW_CASES,
    PARTY_INSERT,
    PROJECTED,
    TIMELINE_INSERT,
    write_held_rows,
)
from services.intake.adapters.tables import Case as CaseRow
from services.intake.adapters.tables import DepartmentUpdate, PartyPoints, TimelineEntry
from services.intake.adapters.tables import Party as PartyRow
from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, RiderPoints
from services.intake.domain.case_timeline import TimelineNote
from services.intake.domain.department_update import PostedUpdate
from services.intake.domain.duplicates import OPEN_STATES, Candidate
from services.intake.domain.repository import Box
from shared.messaging.held import hold_for_commit
from shared.messaging.uow import UnitOfWork
from shared.platform.db import transaction_memo

# The aggregate's fields that are columns (the rest is what is not yet saved).
COLUMNS = tuple(f.name for f in fields(Case) if f.name not in ("timeline", "events"))
PARTY_COLUMNS = tuple(f.name for f in fields(Party))
UPDATE_COLUMNS = tuple(f.name for f in fields(PostedUpdate))
_PROJECTED = tuple(sorted(PROJECTED))
# The transaction's latest aggregate of each case it added or loaded (what a route renders).
_AGGREGATES = "case_aggregates"


def case_of(row: CaseRow) -> Case:
    return Case(**{name: _own(getattr(row, name)) for name in COLUMNS})


def _own(value: Any) -> Any:
    """A copy of a container (a dict changed in place on the aggregate must not change the row
    unseen); the other columns (ids, times, strings, numbers) are immutable and are shared
    (deep-copying them rebuilds each id and time, per case loaded)."""
    return copy.deepcopy(value) if isinstance(value, dict | list) else value


def _columns(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in COLUMNS}


def write_back(case: Case, row: CaseRow, session: AsyncSession) -> None:
    """The aggregate's columns onto its row, and its new timeline notes as rows."""
    for name in COLUMNS:
        value = getattr(case, name)
        if getattr(row, name) != value:
            setattr(row, name, value)
    session.add(row)
    _hold_timeline(case, session)


def _hold_timeline(case: Case, session: AsyncSession) -> None:
    """The case's new timeline notes, held for the commit (one INSERT per batch)."""
    if not case.timeline:
        return
    rows = [_timeline_values(case.id, note) for note in case.timeline]
    case.timeline.clear()
    if not hold_for_commit(session, TIMELINE_INSERT, rows):
        session.add_all([TimelineEntry(**r) for r in rows])  # outside a transaction


class SqlCaseRepository:
    """Over one unit of work's session; holds no state of its own."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._session = uow.session
        # The ORM rows this transaction loaded, so saving one needs no look-up.
        self._rows: dict[uuid.UUID, CaseRow] = self._session.info.setdefault("case_rows", {})
        self._aggregates: dict[uuid.UUID, Case] = self._session.info.setdefault(_AGGREGATES, {})
        self._parties: dict[uuid.UUID, PartyRow] = self._session.info.setdefault("party_rows", {})
        self._points: dict[str, PartyPoints] = self._session.info.setdefault("points_rows", {})

    def add(self, case: Case) -> None:
        """A new case: its row (and its timeline's) is written with the transaction."""
        self._aggregates[case.id] = case
        values = _columns(case)
        if hold_for_commit(self._session, CASE_INSERT, [values]):
            transaction_memo(self._session, NEW_CASES)[case.id] = values
            _hold_timeline(case, self._session)
            return
        row = CaseRow(**values)  # outside a transaction: the ORM writes it when one begins
        self._rows[case.id] = row
        self._session.add(row)
        write_back(case, row, self._session)

    async def get(self, case_id: uuid.UUID) -> Case | None:
        """The case, row-locked for the rest of the transaction."""
        loaded = transaction_memo(self._session, LOADED_CASES).get(case_id)
        if loaded is not None:  # locked by `lock`, or added here and written
            case = Case(**{name: _own(loaded[name]) for name in COLUMNS})
            self._aggregates[case_id] = case
            return case
        row = await repository.get_case(self._session, case_id, lock=True)
        return None if row is None else self._loaded(row)

    async def by_code(self, tracking_code: str) -> Case | None:
        row = await repository.case_by_code(self._session, tracking_code)
        return None if row is None else self._loaded(row)

    def _loaded(self, row: CaseRow) -> Case:
        self._rows[row.id] = row
        case = case_of(row)
        self._aggregates[row.id] = case
        return case

    async def save(self, case: Case) -> None:
        """The case's changed columns and its new timeline notes."""
        self._aggregates[case.id] = case
        new = transaction_memo(self._session, NEW_CASES).get(case.id)
        if new is not None:  # its INSERT is still held: it takes the new values
            new.update(_columns(case))
            _hold_timeline(case, self._session)
            return
        loaded = transaction_memo(self._session, LOADED_CASES).get(case.id)
        if loaded is not None:
            await self._save_loaded(case, loaded)
            _hold_timeline(case, self._session)
            return
        row = self._rows.get(case.id) or await self._session.get(CaseRow, case.id)
        if row is None:
            raise LookupError(f"case {case.id} was never added")
        write_back(case, row, self._session)

    async def _save_loaded(self, case: Case, loaded: dict[str, Any]) -> None:
        """A case read as a Core row: an UPDATE of what changed. The projected columns wait
        for the commit in one held UPDATE per case (a batch's later events of the case change
        its parameters); any other column is written now."""
        values = _columns(case)
        changed = {name: value for name, value in values.items() if loaded[name] != value}
        if not changed:
            return
        loaded.update({name: _own(value) for name, value in changed.items()})
        if changed.keys() <= PROJECTED:
            updates = transaction_memo(self._session, CASE_UPDATES)
            params = updates.get(case.id)
            if params is not None:
                params.update({name: values[name] for name in _PROJECTED})
                return
            params = {"b_id": case.id, **{name: values[name] for name in _PROJECTED}}
            if hold_for_commit(self._session, CASE_UPDATE, [params]):
                updates[case.id] = params
                return
        await write_held_rows(self._session)
        table = CaseRow.__table__  # type: ignore[attr-defined]
        await self._session.execute(sa.update(table).where(table.c.id == case.id).values(**changed))

    async def lock(self, case_ids: Iterable[uuid.UUID]) -> None:
        await repository.lock_cases(self._session, case_ids)

    async def parties_of(self, case_id: uuid.UUID) -> list[Party]:
        rows = await repository.parties_of(self._session, case_id)
        self._parties.update({row.id: row for row in rows})
        return [Party(**{n: getattr(row, n) for n in PARTY_COLUMNS}) for row in rows]

    def save_parties(self, parties: Iterable[Party]) -> None:
        """A new case's parties are held with it (after it: they refer to it); the others are
        ORM rows, changed in place."""
        new = transaction_memo(self._session, NEW_CASES)
        held: list[dict[str, Any]] = []
        for party in parties:
            row = self._parties.get(party.id)
            if row is None and party.case_id in new:
                held.append({n: getattr(party, n) for n in PARTY_COLUMNS})
                continue
            if row is None:
                row = PartyRow(**{n: getattr(party, n) for n in PARTY_COLUMNS})
                self._parties[party.id] = row
            for name in PARTY_COLUMNS:
                value = getattr(party, name)
                if getattr(row, name) != value:
                    setattr(row, name, value)
            self._session.add(row)
        if held:
            hold_for_commit(self._session, PARTY_INSERT, held)

    async def drop_follower(self, case_id: uuid.UUID, party_id: str) -> None:
        await write_held_rows(self._session)
        await self._session.exec(
            delete(PartyRow).where(
                PartyRow.case_id == case_id,  # type: ignore[arg-type]
                PartyRow.role == "follower",  # type: ignore[arg-type]
                PartyRow.party_id == party_id,  # type: ignore[arg-type]
            )
        )

    async def points_of(self, party_id: str) -> RiderPoints | None:
        row = await self._session.get(PartyPoints, party_id, with_for_update=True)
        if row is None:
            return None
        self._points[party_id] = row
        return RiderPoints(party_id, row.balance, row.credited_at)

    def save_points(self, points: RiderPoints) -> None:
        row = self._points.get(points.party_id)
        if row is None:
            row = self._points[points.party_id] = PartyPoints(
                party_id=points.party_id, credited_at=points.credited_at
            )
        row.balance, row.credited_at = points.balance, points.credited_at
        self._session.add(row)

    async def posted_update(self, department_id: str, update_id: str) -> PostedUpdate | None:
        stmt = select(DepartmentUpdate).where(
            DepartmentUpdate.department_id == department_id,
            DepartmentUpdate.update_id == update_id,
        )
        row = (await self._session.exec(stmt)).first()
        return None if row is None else PostedUpdate(**{n: getattr(row, n) for n in UPDATE_COLUMNS})

    def add_posted_update(self, update: PostedUpdate) -> None:
        self._session.add(DepartmentUpdate(**{n: getattr(update, n) for n in UPDATE_COLUMNS}))

    async def runner_party_id(self, phone_hash: str | None, email_hash: str | None) -> str | None:
        return await repository.runner_party_id(self._session, phone_hash, email_hash)

    async def member_id_hashes(self, parent_id: uuid.UUID) -> set[str]:
        return await repository.member_id_hashes(self._session, parent_id)

    async def open_hazards_near(self, category: str, since: datetime, box: Box) -> list[Candidate]:
        min_lat, max_lat, min_lng, max_lng = box
        params = {
            "category": category,
            "since": since,
            "min_lat": min_lat,
            "max_lat": max_lat,
            "min_lng": min_lng,
            "max_lng": max_lng,
        }
        # As the ORM query did (autoflush): hazards filed earlier in this transaction.
        await write_held_rows(self._session)
        await self._session.flush()
        rows = (await self._session.execute(_OPEN_NEARBY, params)).all()
        return [
            Candidate(r.id, r.category, r.status, r.latitude, r.longitude, r.created_at)
            for r in rows
            if r.latitude is not None and r.longitude is not None
        ]


def filed_row(uow: UnitOfWork, case_id: uuid.UUID) -> Case:
    """A case this transaction added or loaded, as last saved (for routes that render one)."""
    cases: dict[uuid.UUID, Case] = uow.session.info.get(_AGGREGATES, {})
    return cases[case_id]


_CASES = CaseRow.__table__.c  # type: ignore[attr-defined]

# One Core statement built once: SQLAlchemy compiles it on its first use and takes it from its
# compiled cache after (the window and box are bound parameters); the candidates come back as
# rows, not as ORM objects with their identity map and change tracking.
_OPEN_NEARBY = sa.select(
    _CASES.id, _CASES.category, _CASES.status, _CASES.latitude, _CASES.longitude, _CASES.created_at
).where(
    _CASES.kind == "hazard",
    _CASES.category == sa.bindparam("category"),
    _CASES.duplicate_of.is_(None),
    _CASES.status.in_(sorted(OPEN_STATES)),
    _CASES.created_at >= sa.bindparam("since"),
    _CASES.latitude.between(sa.bindparam("min_lat"), sa.bindparam("max_lat")),
    _CASES.longitude.between(sa.bindparam("min_lng"), sa.bindparam("max_lng")),
)


def _timeline_values(case_id: uuid.UUID, note: TimelineNote) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "event_id": note.event_id,
        "event_type": note.event_type,
        "producer": note.producer,
        "occurred_at": note.occurred_at,
        "actor_role": note.actor.role,
        "actor_id": note.actor.id,
        "text_zh": note.text_zh,
        "text_en": note.text_en,
        "state": note.state,
        "causation_id": note.causation_id,
    }
