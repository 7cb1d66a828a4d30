"""The SQL hazard repository: `hazard` rows <-> the Hazard aggregate, and what hangs off it
(history, followers, escalations, timers, points) in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import col, delete, select

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import (
    TIMER,
    Follower,
    HazardEscalation,
    HazardHistory,
    PointsEntry,
)
from services.dispatch.adapters.tables import Hazard as HazardRow
from services.dispatch.domain.directory import Directory
from services.dispatch.domain.errors import HazardBusy
from services.dispatch.domain.hazard import Hazard
from shared.messaging import timers
from shared.messaging.held import hold_for_commit, write_held
from shared.messaging.uow import UnitOfWork
from shared.platform.db import transaction_memo

# The aggregate's fields that are columns (the rest is its unsaved history and events).
COLUMNS = tuple(f.name for f in fields(Hazard) if f.name not in ("history", "events"))


# History is append-only and read back in a later transaction (or after `write_held`): its
# rows wait for the commit and a batch's hazards write theirs in one statement.
HISTORY_INSERT = sa.insert(HazardHistory.__table__)  # type: ignore[attr-defined]
# New hazards likewise, as rows (no ORM object each); until written, `save` updates the held
# row and whatever reads the hazard table in the transaction (`get`) writes them first.
HAZARD_INSERT = sa.insert(HazardRow.__table__)  # type: ignore[attr-defined]
_NEW = "dispatch.new_hazards"


def to_aggregate(row: HazardRow) -> Hazard:
    return Hazard(**{name: getattr(row, name) for name in COLUMNS})


class SqlHazardRepository:
    """Over one unit of work's session; holds no state of its own."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._session = uow.session
        # The rows this transaction loaded or added, so saving one needs no look-up.
        self._rows: dict[uuid.UUID, HazardRow] = self._session.info.setdefault("hazard_rows", {})

    def add(self, hazard: Hazard) -> None:
        """A new hazard; its row is written with the transaction."""
        values = {name: getattr(hazard, name) for name in COLUMNS}
        if hold_for_commit(self._session, HAZARD_INSERT, [values]):
            transaction_memo(self._session, _NEW)[hazard.case_id] = values
            return
        row = HazardRow(**values)
        self._rows[hazard.case_id] = row
        self._session.add(row)

    async def _write_new(self) -> None:
        """The transaction's new hazards, held for the commit, written now (before a read)."""
        new = transaction_memo(self._session, _NEW)
        if new:
            new.clear()
            await write_held(self._session, HAZARD_INSERT)

    async def get(self, case_id: uuid.UUID) -> Hazard | None:
        """The hazard, row-locked for the rest of the transaction."""
        await self._write_new()
        stmt = select(HazardRow).where(HazardRow.case_id == case_id).with_for_update()
        return self._loaded((await self._session.exec(stmt)).first())

    def _loaded(self, row: HazardRow | None) -> Hazard | None:
        if row is None:
            return None
        self._rows[row.case_id] = row
        return to_aggregate(row)

    async def get_unless_busy(self, case_id: uuid.UUID) -> Hazard | None:
        """Lock it without waiting; HazardBusy when another transaction holds it."""
        await self._write_new()
        stmt = (
            select(HazardRow).where(HazardRow.case_id == case_id).with_for_update(skip_locked=True)
        )
        row = (await self._session.exec(stmt)).first()
        if row is None and await self._session.get(HazardRow, case_id) is not None:
            raise HazardBusy(str(case_id))
        return self._loaded(row)

    async def save(self, hazard: Hazard) -> None:
        """Write the hazard's columns and its new history entries."""
        held = transaction_memo(self._session, _NEW).get(hazard.case_id)
        if held is not None:
            held.update({name: getattr(hazard, name) for name in COLUMNS})
        else:
            await self._save_row(hazard)
        self._hold_history(hazard)

    async def _save_row(self, hazard: Hazard) -> None:
        row = self._rows.get(hazard.case_id) or await self._session.get(HazardRow, hazard.case_id)
        if row is None:
            raise LookupError(f"hazard {hazard.case_id} was never added")
        for name in COLUMNS:
            value = getattr(hazard, name)
            # Only what changed: SQLModel's attribute setter is costly, and a hazard saved
            # right after it was added or loaded has most of its columns as they were.
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.add(row)

    def _hold_history(self, hazard: Hazard) -> None:
        entries: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "case_id": hazard.case_id,
                "position": entry.position,
                "action": entry.action,
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "actor_role": entry.actor.role,
                "actor_id": entry.actor.id,
                "at": entry.at,
                "note": entry.note,
            }
            for entry in hazard.history
        ]
        hazard.history.clear()
        if entries and not hold_for_commit(self._session, HISTORY_INSERT, entries):
            # Outside a transaction (no use case saves there): the ORM writes them with it.
            self._session.add_all(HazardHistory(**e) for e in entries)

    async def declined_by(self, case_id: uuid.UUID) -> list[str]:
        await write_held(self._session, HISTORY_INSERT)
        rows = await self._session.exec(
            select(HazardHistory.actor_id).where(
                HazardHistory.case_id == case_id, HazardHistory.action == "decline"
            )
        )
        return list(rows.all())

    async def directory(self) -> Directory:
        return await read_directory(self._session)

    async def followers_of(self, case_id: uuid.UUID) -> list[str]:
        rows = await self._session.exec(
            select(Follower.party_id)
            .where(Follower.case_id == case_id)
            .order_by(col(Follower.since))
        )
        return list(rows.all())

    async def follow(
        self, case_id: uuid.UUID, party_id: str, duplicate_case_id: uuid.UUID | None
    ) -> None:
        exists = await self._session.exec(
            select(Follower.id).where(Follower.case_id == case_id, Follower.party_id == party_id)
        )
        if exists.first() is None:
            self._session.add(
                Follower(case_id=case_id, party_id=party_id, duplicate_case_id=duplicate_case_id)
            )

    async def unfollow(self, case_id: uuid.UUID, party_id: str) -> None:
        await self._session.exec(
            delete(Follower).where(
                col(Follower.case_id) == case_id, col(Follower.party_id) == party_id
            )
        )

    async def escalated_to(self, case_id: uuid.UUID, supervisor_id: str) -> bool:
        stmt = select(HazardEscalation.id).where(
            HazardEscalation.case_id == case_id, HazardEscalation.escalated_to == supervisor_id
        )
        return (await self._session.exec(stmt.limit(1))).first() is not None

    def add_escalation(
        self,
        hazard: Hazard,
        to: str,
        target: str,
        level: int,
        due_at: datetime,
        at: datetime,
    ) -> None:
        self._session.add(
            HazardEscalation(
                case_id=hazard.case_id,
                escalated_to=to,
                department_id=hazard.department_id,
                target=target,
                level=level,
                due_at=due_at,
                at=at,
            )
        )

    async def schedule(
        self, case_id: uuid.UUID, planned: Sequence[tuple[str, datetime, dict[str, Any] | None]]
    ) -> None:
        # With the commit: a batch's hazards start all their timers in one statement.
        await timers.schedule_at_commit(self._uow, TIMER, case_id, planned)

    async def cancel(self, case_id: uuid.UUID, kinds: tuple[str, ...], at: datetime) -> None:
        await timers.cancel(self._uow, TIMER, case_id, kinds, at)

    async def credited(self, case_id: uuid.UUID, reason: str) -> bool:
        already = await self._session.exec(
            select(PointsEntry.id).where(
                PointsEntry.case_id == case_id, PointsEntry.reason == reason
            )
        )
        return already.first() is not None

    async def balance_of(self, reporter_id: str) -> int:
        total = await self._session.exec(
            select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                PointsEntry.reporter_id == reporter_id
            )
        )
        return int(total.one())

    def add_points(self, hazard: Hazard, reason: str, points: int, at: datetime) -> None:
        self._session.add(
            PointsEntry(
                reporter_id=hazard.reporter_id,
                case_id=hazard.case_id,
                reason=reason,
                points=points,
                category=hazard.category,
                at=at,
            )
        )
