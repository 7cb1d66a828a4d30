"""Dispatch's reads for its routes: each takes a session and answers plain data (a row's
fields as a dict, a domain value), so no route builds a query or holds a table row.

Writes go through the use cases and the hazard aggregate; these only read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters import station_store
from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import (
    CompoundEntry,
    CompoundReport,
    Follower,
    Hazard,
    HazardEscalation,
    HazardHistory,
    PointsEntry,
    Redemption,
    RewardEntry,
    StationEntry,
)
from services.dispatch.domain.directory import Directory
from services.dispatch.domain.errors import NotFound
from services.dispatch.domain.lifecycle import OPEN, UNROUTED
from services.dispatch.domain.stations import Station
from services.dispatch.service_layer.points import balance_of

Row = dict[str, Any]
# A report linked to a compound counts as closed in these states.
FINISHED = ("closed", "cancelled", "duplicate")


def _row(row: Any) -> Row:
    fields: Row = row.model_dump()
    return fields


# --- hazards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One hazard with its history and its escalations, oldest first."""

    hazard: Row
    history: list[Row]
    escalations: list[Row]


async def story(session: AsyncSession, case_id: uuid.UUID) -> Story | None:
    hazard = await session.get(Hazard, case_id)
    if hazard is None:
        return None
    history = await session.exec(
        select(HazardHistory)
        .where(HazardHistory.case_id == case_id)
        .order_by(col(HazardHistory.position), col(HazardHistory.at))
    )
    chain = await session.exec(
        select(HazardEscalation)
        .where(HazardEscalation.case_id == case_id)
        .order_by(col(HazardEscalation.at), col(HazardEscalation.level))
    )
    return Story(_row(hazard), [_row(h) for h in history.all()], [_row(e) for e in chain.all()])


async def follows(session: AsyncSession, case_id: uuid.UUID, party_id: str) -> bool:
    """Does this reporter follow the hazard (a duplicate of theirs was merged into it)?"""
    found = await session.exec(
        select(Follower.id).where(Follower.case_id == case_id, Follower.party_id == party_id)
    )
    return found.first() is not None


async def escalated_to(session: AsyncSession, case_id: uuid.UUID, supervisor_id: str) -> bool:
    """Was this hazard ever escalated to this supervisor?"""
    stmt = select(HazardEscalation.id).where(
        HazardEscalation.case_id == case_id, HazardEscalation.escalated_to == supervisor_id
    )
    return (await session.exec(stmt.limit(1))).first() is not None


async def supports(session: AsyncSession, case_id: object, department_id: str) -> bool:
    """Is the department the other body of the compound this report is linked to (配合处理)?"""
    found = await session.exec(
        select(CompoundReport.case_id).where(
            CompoundReport.case_id == case_id,
            CompoundReport.support_department_id == department_id,
        )
    )
    return found.first() is not None


async def department_queue(
    session: AsyncSession,
    department_id: str,
    states: list[str],
    *,
    category: str | None,
    jurisdiction: str | None,
    due_before: datetime | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """A department's hazards in these states, most overdue first; `due_before`: only those
    past a target then."""
    stmt = select(Hazard).where(
        Hazard.department_id == department_id, col(Hazard.state).in_(states)
    )
    if category:
        stmt = stmt.where(Hazard.category == category)
    if jurisdiction:
        stmt = stmt.where(Hazard.jurisdiction == jurisdiction)
    if due_before is not None:
        stmt = stmt.where(col(Hazard.next_due) < due_before)
    stmt = stmt.order_by(col(Hazard.next_due).asc().nulls_last(), col(Hazard.filed_at))
    rows = await session.exec(stmt.offset(offset).limit(limit))
    return [_row(h) for h in rows.all()]


async def supported(
    session: AsyncSession, department_id: str, states: list[str], *, limit: int, offset: int
) -> list[tuple[Row, Row]]:
    """The open reports a department supports (配合处理), each with its compound: linked to a
    compound whose other body it is, and worked by another department; most overdue first,
    like its queue."""
    rows = await session.exec(
        select(Hazard, CompoundEntry)
        .join(CompoundReport, col(CompoundReport.case_id) == col(Hazard.case_id))
        .join(CompoundEntry, col(CompoundEntry.compound_id) == col(CompoundReport.compound_id))
        .where(
            CompoundReport.support_department_id == department_id,
            col(Hazard.department_id).is_distinct_from(department_id),
            col(Hazard.state).in_(states),
        )
        .order_by(col(Hazard.next_due).asc().nulls_last(), col(Hazard.filed_at))
        .offset(offset)
        .limit(limit)
    )
    return [(_row(h), _row(c)) for h, c in rows.all()]


async def supervised(
    session: AsyncSession, supervisor_id: str, *, open_only: bool, limit: int, offset: int
) -> list[tuple[Row, int, datetime]]:
    """Hazards escalated to the supervisor with their highest level and latest escalation,
    open ones first and the most overdue first."""
    per_case = (
        select(
            HazardEscalation.case_id,
            func.max(HazardEscalation.level).label("level"),
            func.max(HazardEscalation.at).label("at"),
        )
        .where(HazardEscalation.escalated_to == supervisor_id)
        .group_by(col(HazardEscalation.case_id))
        .subquery()
    )
    stmt = select(Hazard, per_case.c.level, per_case.c.at).join(
        per_case, per_case.c.case_id == col(Hazard.case_id)
    )
    if open_only:
        stmt = stmt.where(col(Hazard.state).in_([s.value for s in OPEN]))
    stmt = stmt.order_by(col(Hazard.next_due).asc().nulls_last(), per_case.c.at.desc())
    rows = (await session.exec(stmt.offset(offset).limit(limit))).all()
    return [(_row(hazard), int(lvl), at) for hazard, lvl, at in rows]


async def unrouted(session: AsyncSession, limit: int) -> list[Row]:
    """Hazards no department took, oldest first (the officers' triage queue)."""
    rows = await session.exec(
        select(Hazard)
        .where(col(Hazard.state).in_([s.value for s in UNROUTED]))
        .order_by(col(Hazard.filed_at))
        .limit(limit)
    )
    return [_row(h) for h in rows.all()]


# --- points and the exchange ---------------------------------------------------------------


async def points_of(session: AsyncSession, reporter_id: str, limit: int) -> tuple[int, list[Row]]:
    """A reporter's balance and their latest ledger entries, newest first."""
    balance = await balance_of(session, reporter_id)
    rows = await session.exec(
        select(PointsEntry)
        .where(PointsEntry.reporter_id == reporter_id)
        .order_by(col(PointsEntry.at).desc(), col(PointsEntry.id))
        .limit(limit)
    )
    return balance, [_row(e) for e in rows.all()]


async def rewards(session: AsyncSession, *, station_id: str | None = None) -> list[Row]:
    stmt = select(RewardEntry).order_by(col(RewardEntry.station_id), col(RewardEntry.name))
    if station_id:
        stmt = stmt.where(RewardEntry.station_id == station_id)
    return [_row(r) for r in (await session.exec(stmt)).all()]


async def redemptions(
    session: AsyncSession, *, reporter_id: str | None = None, station_id: str | None = None
) -> list[tuple[Row, str]]:
    """Redemptions, newest first, each with its reward's name."""
    stmt = (
        select(Redemption, RewardEntry.name)
        .join(RewardEntry, col(RewardEntry.reward_id) == col(Redemption.reward_id))
        .order_by(col(Redemption.redeemed_at).desc())
    )
    if reporter_id:
        stmt = stmt.where(Redemption.reporter_id == reporter_id)
    if station_id:
        stmt = stmt.where(Redemption.station_id == station_id)
    return [(_row(r), name) for r, name in (await session.exec(stmt)).all()]


# --- the registers: directory, stations, compounds -----------------------------------------


async def directory(session: AsyncSession) -> Directory:
    return await read_directory(session)


async def department_names(session: AsyncSession) -> dict[str, str]:
    """Every directory entry's name by its id."""
    return {d.department_id: d.name for d in (await read_directory(session)).departments}


async def stations(session: AsyncSession) -> list[Station]:
    """The whole register (closed stations too), by town and name."""
    rows = sorted(await station_store.all_rows(session), key=lambda r: (r.town, r.name))
    return [station_store.to_station(r) for r in rows]


async def station(session: AsyncSession, station_id: str) -> Station | None:
    """One station, open or closed for good."""
    row = await session.get(StationEntry, station_id)
    return station_store.to_station(row) if row is not None else None


@dataclass(frozen=True)
class CompoundSummary:
    compound: Row
    reports: int
    open: int
    closed: int


async def compounds(session: AsyncSession, town: str | None = None) -> list[CompoundSummary]:
    """Per compound: its reports, how many are still open or closed, its adoption status."""
    stmt = select(CompoundEntry).order_by(col(CompoundEntry.town), col(CompoundEntry.name))
    if town:
        stmt = stmt.where(CompoundEntry.town == town)
    rows = list((await session.exec(stmt)).all())
    counts = await session.exec(
        select(CompoundReport.compound_id, Hazard.state, func.count())
        .join(Hazard, col(Hazard.case_id) == col(CompoundReport.case_id))
        .group_by(col(CompoundReport.compound_id), col(Hazard.state))
    )
    tally: dict[str, dict[str, int]] = {}
    for compound_id, state, n in counts.all():
        tally.setdefault(compound_id, {})[state] = int(n)
    out = []
    for c in rows:
        by_state = tally.get(c.compound_id, {})
        closed = sum(n for s, n in by_state.items() if s in FINISHED)
        total = sum(by_state.values())
        out.append(CompoundSummary(_row(c), total, total - closed, closed))
    return out


async def compound_reports(
    session: AsyncSession, compound_id: str
) -> tuple[Row, list[tuple[Row, Row]]]:
    """One compound and its linked reports (the link, the hazard), oldest first."""
    compound = await session.get(CompoundEntry, compound_id)
    if compound is None:
        raise NotFound(f"compound {compound_id}")
    rows = await session.exec(
        select(CompoundReport, Hazard)
        .join(Hazard, col(Hazard.case_id) == col(CompoundReport.case_id))
        .where(CompoundReport.compound_id == compound_id)
        .order_by(col(Hazard.filed_at))
    )
    return _row(compound), [(_row(r), _row(h)) for r, h in rows.all()]
