"""The committee's views: queues, clocks, workload. Every figure is aggregated in SQL; the
counts by state and by mediator come from the rollup kept with each change (rollup_tracking)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import (
    Dispute,
    DisputeClock,
    DisputeGrant,
    DisputeQueueCount,
)
from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import OVERDUE_WHILE
from services.mediation.domain.lifecycle import REASSIGNABLE, TERMINAL, State
from services.mediation.domain.roster import Roster
from services.mediation.service_layer.clocks import explained

_TERMINAL = [s.value for s in TERMINAL]


async def queues(session: AsyncSession) -> dict[str, int]:
    """How many disputes sit in each state (every state listed, zeros included).

    Read from the (state, mediator) rollup: a few hundred rows, whatever the number of cases.
    """
    n = sa.func.sum(DisputeQueueCount.n)
    rows = (
        await session.exec(
            select(DisputeQueueCount.state, n).group_by(col(DisputeQueueCount.state))
        )
    ).all()
    counts = dict(rows)
    return {s.value: int(counts.get(s.value) or 0) for s in State}


async def list_disputes(
    session: AsyncSession, filters: dict[str, Any], limit: int, offset: int
) -> list[Dispute]:
    stmt = select(Dispute)
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(Dispute, name) == value)
    stmt = stmt.order_by(col(Dispute.created_at).desc(), col(Dispute.case_id))
    return list((await session.exec(stmt.limit(limit).offset(offset))).all())


def _clock_rows() -> Any:
    return sa.select(
        DisputeClock,
        col(Dispute.tracking_code),
        col(Dispute.state),
        col(Dispute.mediator_id),
        col(Dispute.title),
        col(Dispute.mediation_extended_days),
        col(Dispute.performance_deadline),
    ).join(Dispute, col(Dispute.case_id) == col(DisputeClock.case_id))


# Soonest due first, undated (paused) last; case and clock make the order total, so pages
# never overlap.
_SOONEST = (
    col(DisputeClock.due_on).asc().nulls_last(),
    col(DisputeClock.case_id),
    col(DisputeClock.clock),
)


def _soonest(clock: DisputeClock) -> tuple[bool, date, uuid.UUID, str]:
    """`_SOONEST` in Python, to merge rows read in that order."""
    return (clock.due_on is None, clock.due_on or date.min, clock.case_id, clock.clock)


def _shape(rows: Any, calendar: WorkCalendar) -> list[dict[str, Any]]:
    """Each clock with its dispute's words, and where its end was moved and why (art. 203)."""
    return [
        {
            **clock.model_dump(),
            **explained(
                clock.clock,
                clock.started_on,
                clock.due_on,
                calendar,
                extended_days=extended,
                agreed_on=agreed_on,
            ),
            "tracking_code": code,
            "dispute_state": state,
            "mediator_id": mediator,
            "title": title,
        }
        for clock, code, state, mediator, title, extended, agreed_on in rows
    ]


async def open_clocks(
    session: AsyncSession, calendar: WorkCalendar, clock: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Every running clock with its due day (paused targets last: they have none)."""
    stmt = _clock_rows().where(col(DisputeClock.status).in_(["open", "paused"]))
    if clock:
        stmt = stmt.where(DisputeClock.clock == clock)
    stmt = stmt.order_by(*_SOONEST)  # ix_dispute_clock_running's order: read, never sorted
    return _shape((await session.execute(stmt.limit(limit).offset(offset))).all(), calendar)


async def overdue(
    session: AsyncSession, calendar: WorkCalendar, today: date, limit: int
) -> list[dict[str, Any]]:
    """Clocks that ran out and still call for action, and open ones already past their day.

    Two reads, each in the order of ix_dispute_clock_status_due and stopped at
    `limit`, merged here: one OR over both kinds made PostgreSQL gather and sort every
    overdue clock (~0.15 s at 1M disputes with 60,000 of them overdue).
    """
    alive = col(Dispute.state).not_in(_TERMINAL)
    past_day = sa.and_(col(DisputeClock.status) == "open", col(DisputeClock.due_on) < today)
    ran_out = sa.and_(
        col(DisputeClock.status) == "expired",
        sa.or_(
            *(
                sa.and_(
                    col(DisputeClock.clock) == clock.value, col(Dispute.state).in_(sorted(states))
                )
                for clock, states in OVERDUE_WHILE.items()
            )
        ),
    )
    rows: list[Any] = []
    if session.get_bind().dialect.name == "postgresql":
        # A page read in index order needs no parallel workers, but the planner cannot tell
        # how few rows the join's state filter drops and starts them: on a busy machine their
        # start-up took most of the time (p50 25 -> 10-17 ms at 1M disputes without them).
        await session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    for kind in (past_day, ran_out):
        stmt = _clock_rows().where(alive, kind).order_by(*_SOONEST).limit(limit)
        rows += (await session.execute(stmt)).all()
    rows.sort(key=lambda row: _soonest(row[0]))
    return _shape(rows[:limit], calendar)


async def due_soon(
    session: AsyncSession, calendar: WorkCalendar, today: date, days: int, limit: int
) -> list[dict[str, Any]]:
    stmt = (
        _clock_rows()
        .where(
            DisputeClock.status == "open",
            col(DisputeClock.due_on) >= today,
            col(DisputeClock.due_on) <= today + timedelta(days=days),
        )
        .order_by(col(DisputeClock.due_on))
    )
    return _shape((await session.execute(stmt.limit(limit))).all(), calendar)


async def limitation_unknown(session: AsyncSession, limit: int) -> list[dict[str, Any]]:
    """Open disputes (not a group's members) filed without the day they arose: no limitation
    clock runs for them, so the committee is warned ("时效起算日不详"), oldest first."""
    stmt = (
        select(Dispute)
        .where(
            col(Dispute.infringement_known_on).is_(None),
            col(Dispute.parent_case_id).is_(None),
            col(Dispute.state).not_in(_TERMINAL),
        )
        .order_by(col(Dispute.created_at), col(Dispute.case_id))
        .limit(limit)
    )
    return [
        {
            "case_id": d.case_id,
            "tracking_code": d.tracking_code,
            "title": d.title,
            "state": d.state,
            "mediator_id": d.mediator_id,
            "application_received_at": d.application_received_at,
            "warning": "limitation_unknown",
        }
        for d in (await session.exec(stmt)).all()
    ]


async def workload(session: AsyncSession, roster: Roster, today: date) -> dict[str, Any]:
    """Open cases per mediator and per duty body, beside capacity and today's duty."""
    carried = [s.value for s in REASSIGNABLE]
    q = DisputeQueueCount
    rows = (
        await session.exec(
            select(q.mediator_id, q.state, q.n).where(
                col(q.state).in_(carried), q.mediator_id != "", q.n != 0
            )
        )
    ).all()
    per: dict[str, dict[str, int]] = {}
    for mediator_id, state, n in rows:
        per.setdefault(mediator_id, {})[state] = int(n)
    on_duty = set(roster.on_duty(today))
    mediators: list[dict[str, Any]] = [
        {
            "mediator_id": m.mediator_id,
            "name": m.name,
            "body_id": m.body_id,
            "capacity": m.capacity,
            "open": sum(per.get(m.mediator_id, {}).values()),
            "by_state": per.get(m.mediator_id, {}),
            "on_duty": m.body_id in on_duty,
        }
        for m in roster.mediators
    ]
    bodies = [
        {
            "body_id": b.body_id,
            "name": b.name,
            "kind": b.kind,
            "on_duty": b.body_id in on_duty,
            "open": sum(m["open"] for m in mediators if m["body_id"] == b.body_id),
            "mediators": sum(1 for m in mediators if m["body_id"] == b.body_id),
        }
        for b in roster.bodies
    ]
    return {"on": today.isoformat(), "mediators": mediators, "bodies": bodies}


async def caseload_of(session: AsyncSession, mediator_id: str) -> list[dict[str, Any]]:
    """A mediator's disputes: those assigned to them, then those the committee let them read;
    each with its nearest open clock. Open disputes first, the nearest due day first."""
    granted = select(DisputeGrant.case_id).where(DisputeGrant.mediator_id == mediator_id)
    disputes = (
        await session.exec(
            select(Dispute).where(
                sa.or_(col(Dispute.mediator_id) == mediator_id, col(Dispute.case_id).in_(granted))
            )
        )
    ).all()
    ids = [d.case_id for d in disputes]
    clocks: dict[uuid.UUID, DisputeClock] = {}
    if ids:
        rows = await session.exec(
            select(DisputeClock).where(
                col(DisputeClock.case_id).in_(ids),
                col(DisputeClock.status) == "open",
                col(DisputeClock.due_on).is_not(None),
            )
        )
        for clock in rows.all():
            held = clocks.get(clock.case_id)
            if held is None or (clock.due_on, clock.clock) < (held.due_on, held.clock):
                clocks[clock.case_id] = clock
    out: list[dict[str, Any]] = [
        {
            "case_id": d.case_id,
            "tracking_code": d.tracking_code,
            "title": d.title,
            "state": d.state,
            "dispute_type": d.dispute_type,
            "company": d.company,
            "complainant_name": d.complainant_name,
            "mine": d.mediator_id == mediator_id,
            "next_clock": clocks[d.case_id].clock if d.case_id in clocks else None,
            "next_due_on": clocks[d.case_id].due_on if d.case_id in clocks else None,
            "created_at": d.created_at,
        }
        for d in disputes
    ]
    far = date.max
    out.sort(
        key=lambda r: (
            State(r["state"]) in TERMINAL,
            not r["mine"],
            r["next_due_on"] or far,
            r["tracking_code"],
        )
    )
    return out
