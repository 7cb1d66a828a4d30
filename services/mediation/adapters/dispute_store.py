"""The SQL dispute repository: `dispute` rows <-> the Dispute aggregate, with its clock rows,
its history rows and its timers, in the same transaction.

A save writes the aggregate's changes onto the row this transaction loaded, in place: the
rollup listeners (rollup_tracking.py) read each column's previous value at flush, so the row
must be the loaded one, changed attribute by attribute, never a fresh copy.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from services.mediation.adapters import mediator_stats
from services.mediation.adapters.tables import (
    TIMER,
    DisputeClock,
    DisputeCompany,
    DisputeGrant,
    DisputeHistory,
    RosterRecord,
)
from services.mediation.adapters.tables import Dispute as DisputeRow
from services.mediation.adapters.tables import MediationSession as SessionRow
from services.mediation.domain.dispute import Dispute, HistoryEntry, ReadingGrant, StateHistory
from services.mediation.domain.kept_clocks import KeptClock, TimerOrder
from services.mediation.domain.lifecycle import REASSIGNABLE
from services.mediation.domain.mediation_session import MediationSession
from services.mediation.domain.roster import Roster
from shared.messaging import timers
from shared.messaging.uow import UnitOfWork

UNSAVED = ("clocks", "history", "touched", "timers", "events")
# The aggregate's fields that are columns (the rest is its clocks and what is not yet saved).
COLUMNS = tuple(f.name for f in fields(Dispute) if f.name not in UNSAVED)
CLOCK_FIELDS = tuple(f.name for f in fields(KeptClock))
SESSION_FIELDS = tuple(f.name for f in fields(MediationSession))


async def arm_timer(
    uow: UnitOfWork, case_id: uuid.UUID, kind: str, due_at: datetime, data: dict[str, Any]
) -> None:
    """Schedule a timer, or revive the same (case, kind, due_at) if it was cancelled unfired.

    A clock moved away and back (a pause that changed nothing) must not lose its timer; a
    timer that already fired is never revived, so exactly-once holds.
    """
    if await timers.schedule(uow, TIMER, case_id, kind, due_at, data):
        return
    await uow.session.execute(
        sa.update(TIMER)
        .where(
            TIMER.c.case_id == case_id,
            TIMER.c.kind == kind,
            TIMER.c.due_at == timers.stored_time(due_at),
            TIMER.c.fired_at.is_(None),
        )
        .values(cancelled_at=None)
    )


class SqlDisputeRepository:
    """Over one unit of work's session; holds no state of its own."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._session = uow.session
        # The rows this transaction loaded or added, so saving one needs no look-up.
        self._rows: dict[uuid.UUID, DisputeRow] = self._session.info.setdefault("dispute_rows", {})

    def add(self, dispute: Dispute) -> None:
        row = DisputeRow(**{name: getattr(dispute, name) for name in COLUMNS})
        self._rows[dispute.case_id] = row
        self._session.add(row)

    async def get(self, case_id: uuid.UUID) -> Dispute | None:
        """The dispute with its clocks, row-locked for the rest of the transaction."""
        stmt = select(DisputeRow).where(DisputeRow.case_id == case_id).with_for_update()
        row = (await self._session.exec(stmt)).first()
        if row is None:
            return None
        self._rows[case_id] = row
        dispute = _aggregate(row)
        for kept in await self._clock_rows(case_id):
            dispute.clocks[kept.clock] = KeptClock(**{n: getattr(kept, n) for n in CLOCK_FIELDS})
        return dispute

    async def _clock_rows(self, case_id: uuid.UUID) -> list[DisputeClock]:
        stmt = select(DisputeClock).where(DisputeClock.case_id == case_id)
        return list((await self._session.exec(stmt)).all())

    async def save(self, dispute: Dispute) -> None:
        """Write what changed: columns in place, new history rows, touched clocks, timers."""
        row = self._rows.get(dispute.case_id) or await self._session.get(
            DisputeRow, dispute.case_id
        )
        if row is None:
            raise LookupError(f"dispute {dispute.case_id} was never added")
        for name in COLUMNS:
            value = getattr(dispute, name)
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.add(row)
        for entry in dispute.history:
            self._session.add(_history_row(dispute.case_id, entry))
        await self._save_clocks(dispute)
        for order in dispute.timers:
            await self._carry_out(dispute.case_id, order)
        dispute.history.clear()
        dispute.touched.clear()
        dispute.timers.clear()

    async def _save_clocks(self, dispute: Dispute) -> None:
        if not dispute.touched:
            return
        rows = {r.clock: r for r in await self._clock_rows(dispute.case_id)}
        for name in sorted(dispute.touched):
            kept = dispute.clocks[name]
            row = rows.get(name) or DisputeClock(
                case_id=dispute.case_id, clock=name, started_on=kept.started_on
            )
            for field_name in CLOCK_FIELDS:
                value = getattr(kept, field_name)
                if field_name != "updated_at" or value is not None:
                    setattr(row, field_name, value)
            self._session.add(row)

    async def _carry_out(self, case_id: uuid.UUID, order: TimerOrder) -> None:
        if order.verb == "cancel":
            await timers.cancel(self._uow, TIMER, case_id, order.kinds, order.at)
        else:
            await arm_timer(self._uow, case_id, order.kinds[0], order.at, order.data or {})

    async def state_history(self, case_id: uuid.UUID) -> StateHistory:
        stmt = (
            select(DisputeHistory.at, DisputeHistory.to_state)
            .where(DisputeHistory.case_id == case_id)
            .order_by(col(DisputeHistory.position))
        )
        return [(at, state) for at, state in (await self._session.exec(stmt)).all()]

    async def roster(self, configured_by_file: Roster) -> Roster:
        """The roster configured through the API, else the file's."""
        record = await self._session.get(RosterRecord, 1)
        return Roster.model_validate(record.body) if record else configured_by_file

    async def open_caseload(self) -> dict[str, int]:
        stmt = (
            select(DisputeRow.mediator_id, sa.func.count())
            .where(
                col(DisputeRow.mediator_id).is_not(None),
                col(DisputeRow.state).in_([s.value for s in REASSIGNABLE]),
            )
            .group_by(col(DisputeRow.mediator_id))
        )
        return {mid: n for mid, n in (await self._session.exec(stmt)).all() if mid}

    async def last_assigned(self) -> dict[str, float]:
        return await mediator_stats.last_assigned(self._session)

    async def record_assignment(self, mediator_id: str, at: datetime) -> None:
        await mediator_stats.record_assignment(self._session, mediator_id, at)

    async def session(self, case_id: uuid.UUID, session_id: str) -> MediationSession | None:
        row = await self._session.get(SessionRow, session_id)
        if row is None or row.case_id != case_id:
            return None
        return MediationSession(**{n: copy.deepcopy(getattr(row, n)) for n in SESSION_FIELDS})

    async def save_session(self, s: MediationSession) -> None:
        row = await self._session.get(SessionRow, s.session_id)
        if row is None:
            row = SessionRow(session_id=s.session_id, case_id=s.case_id, starts_at=s.starts_at)
        for name in SESSION_FIELDS:
            value = getattr(s, name)
            if value is not None and getattr(row, name) != value:
                setattr(row, name, value)
        self._session.add(row)

    async def members(self, parent_id: uuid.UUID) -> list[Dispute]:
        """A group's member cases in the order they joined: read, not locked, without clocks."""
        stmt = (
            select(DisputeRow)
            .where(DisputeRow.parent_case_id == parent_id)
            .order_by(col(DisputeRow.created_at), col(DisputeRow.case_id))
        )
        return [_aggregate(row) for row in (await self._session.exec(stmt)).all()]

    async def count_members(self, parent_id: uuid.UUID) -> int:
        stmt = (
            select(sa.func.count())
            .select_from(DisputeRow)
            .where(DisputeRow.parent_case_id == parent_id)
        )
        return int((await self._session.exec(stmt)).one())

    async def reading_grant(self, case_id: uuid.UUID, mediator_id: str) -> ReadingGrant | None:
        row = await self._session.get(DisputeGrant, (case_id, mediator_id))
        if row is None:
            return None
        return ReadingGrant(row.case_id, row.mediator_id, row.granted_by, row.granted_at)

    async def add_grant(self, grant: ReadingGrant) -> None:
        self._session.add(DisputeGrant(**asdict(grant)))

    async def remove_grant(self, grant: ReadingGrant) -> None:
        row = await self._session.get(DisputeGrant, (grant.case_id, grant.mediator_id))
        if row is not None:
            await self._session.delete(row)

    async def index_companies(self, dispute: Dispute, companies: list[dict[str, str]]) -> None:
        """One pattern-index row per company the dispute newly names."""
        assert dispute.created_at is not None  # a saved dispute's row always has it
        for company in companies:
            self._session.add(
                DisputeCompany(
                    case_id=dispute.case_id,
                    company_key=company["key"],
                    company=company["name"],
                    dispute_type=dispute.dispute_type,
                    created_at=dispute.created_at,
                )
            )


def _aggregate(row: DisputeRow) -> Dispute:
    # Copies: a list changed in place on the aggregate must not change the row unseen.
    return Dispute(**{name: copy.deepcopy(getattr(row, name)) for name in COLUMNS})


def _history_row(case_id: uuid.UUID, entry: HistoryEntry) -> DisputeHistory:
    return DisputeHistory(
        case_id=case_id,
        position=entry.position,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_role=entry.actor.role,
        actor_id=entry.actor.id,
        at=entry.at,
        note=entry.note,
    )
