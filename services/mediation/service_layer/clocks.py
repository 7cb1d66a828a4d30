"""Keeping a dispute's clocks: one row per clock, and durable timers for warnings and expiry.

Each warning and each expiry is a row of the kit's timer table keyed (case, kind, due_at):
scheduling it twice is a no-op and the scheduler claims it with a conditional update, so it
fires exactly once per (case, clock, due date) with any number of replicas and restarts. A
new due date (extension, a target resumed) is a new key; the old rows are cancelled.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from services.mediation.adapters.tables import TIMER, Dispute, DisputeClock, DisputeHistory
from services.mediation.domain.calendar import FALLBACK, WorkCalendar
from services.mediation.domain.clocks import (
    DEFAULT_WARNINGS,
    LEGAL,
    ClockName,
    Deadline,
    deadline,
    local_date,
    missing_years,
    nominal_due,
    stored_end,
)
from services.mediation.domain.lifecycle import PAUSED
from services.mediation.domain.targets import Target, pauses, target_due
from services.mediation.service_layer.context import Context
from shared.messaging import timers
from shared.messaging.uow import UnitOfWork


async def arm(
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


def kinds_of(clock: ClockName) -> tuple[str, ...]:
    return (f"{clock.value}:expire", *(f"{clock.value}:warn:{d}" for d in DEFAULT_WARNINGS[clock]))


async def _row(uow: UnitOfWork, dispute: Dispute, clock: ClockName) -> DisputeClock | None:
    stmt = select(DisputeClock).where(
        DisputeClock.case_id == dispute.case_id, DisputeClock.clock == clock.value
    )
    return (await uow.session.exec(stmt)).first()


async def start_clock(uow: UnitOfWork, dispute: Dispute, due: Deadline, now: datetime) -> None:
    """Open (or move) a clock and schedule its warnings and expiry."""
    row = await _row(uow, dispute, due.clock)
    if row is None:
        row = DisputeClock(
            case_id=dispute.case_id, clock=due.clock.value, started_on=due.started_on
        )
    else:
        await timers.cancel(uow, TIMER, dispute.case_id, kinds_of(due.clock), now)
    row.legal = due.clock in LEGAL
    row.started_on, row.due_on, row.expires_at = due.started_on, due.due_on, due.expires_at
    row.status, row.calendar_source, row.updated_at = "open", due.calendar_source, now
    uow.session.add(row)
    data = {"clock": due.clock.value, "due_on": due.due_on.isoformat()}
    for days, at in due.warnings:
        if at > now:
            kind = f"{due.clock.value}:warn:{days}"
            await arm(uow, dispute.case_id, kind, at, data | {"days_left": days})
    await arm(uow, dispute.case_id, f"{due.clock.value}:expire", due.expires_at, data)


async def stop_clocks(
    uow: UnitOfWork,
    dispute: Dispute,
    clocks: tuple[ClockName, ...],
    now: datetime,
    status: str = "stopped",
) -> None:
    """Stop open clocks (the event they waited for happened) and cancel their timers."""
    for clock in clocks:
        row = await _row(uow, dispute, clock)
        if row is None or row.status not in ("open", "paused"):
            continue
        row.status, row.updated_at = status, now
        uow.session.add(row)
        await timers.cancel(uow, TIMER, dispute.case_id, kinds_of(clock), now)


async def state_history(uow: UnitOfWork, dispute: Dispute) -> list[tuple[datetime, str]]:
    stmt = (
        select(DisputeHistory.at, DisputeHistory.to_state)
        .where(DisputeHistory.case_id == dispute.case_id)
        .order_by(col(DisputeHistory.position))
    )
    return [(at, state) for at, state in (await uow.session.exec(stmt)).all()]


async def refresh_target(
    uow: UnitOfWork, dispute: Dispute, target: Target, started_at: datetime, ctx: Context
) -> None:
    """Recompute a target's due day from the state history: paused while waiting on a party."""
    now = ctx.now()
    clock = ClockName(target.name)
    history = [(at, s) for at, s in await state_history(uow, dispute) if aware(at) >= started_at]
    history.append((now, dispute.state))  # the step being taken may not be flushed yet
    due_on = target_due(target, started_at, pauses(history, PAUSED), ctx.calendar)
    if due_on is None:
        row = await _row(uow, dispute, clock)
        if row is not None and row.status == "open":
            row.status, row.due_on, row.expires_at, row.updated_at = "paused", None, None, now
            uow.session.add(row)
            await timers.cancel(uow, TIMER, dispute.case_id, kinds_of(clock), now)
        return
    due = deadline(clock, local_date(started_at), due_on, ctx.calendar)
    missing = missing_years(ctx.calendar, local_date(started_at), due.due_on)
    if missing:  # working days were counted through a year not loaded
        source = f"{FALLBACK}:{missing[0]}"
        due = due.model_copy(update={"calendar_source": source, "calendar_missing": True})
    await start_clock(uow, dispute, due, now)


def aware(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def open_clocks(uow: UnitOfWork, dispute: Dispute) -> list[DisputeClock]:
    stmt = select(DisputeClock).where(DisputeClock.case_id == dispute.case_id)
    return list((await uow.session.exec(stmt)).all())


async def clock_due_on(uow: UnitOfWork, dispute: Dispute, clock: ClockName) -> date | None:
    row = await _row(uow, dispute, clock)
    return row.due_on if row is not None and row.status != "stopped" else None


async def entered_at(uow: UnitOfWork, dispute: Dispute, state: str) -> datetime | None:
    """When the dispute first entered `state` (from its history)."""
    return next((aware(at) for at, s in await state_history(uow, dispute) if s == state), None)


async def refresh_mediation_target(uow: UnitOfWork, dispute: Dispute, ctx: Context) -> None:
    """The mediation target runs from the start of mediation, paused while waiting."""
    started = await entered_at(uow, dispute, "in_mediation")
    if started is not None:
        await refresh_target(uow, dispute, ctx.policy.mediation_target, started, ctx)


async def recompute_legal_clocks(uow: UnitOfWork, ctx: Context, calendar: WorkCalendar) -> int:
    """After a calendar year was loaded: every open legal clock whose end the calendar now
    moves gets its new end, its warnings and its expiry rescheduled (the old timers cancelled).
    Run once, by the replica that stored the year, in the same transaction."""
    now = ctx.now()
    rows = (
        await uow.session.exec(
            select(DisputeClock, Dispute)
            .join(Dispute, col(Dispute.case_id) == col(DisputeClock.case_id))
            .where(col(DisputeClock.status) == "open", col(DisputeClock.legal).is_(True))
        )
    ).all()
    moved = 0
    for row, dispute in rows:
        clock = ClockName(row.clock)
        nominal = nominal_due(
            clock,
            row.started_on,
            extended_days=dispute.mediation_extended_days,
            agreed_on=dispute.performance_deadline,
        )
        if nominal is None:
            continue
        due = deadline(clock, row.started_on, nominal, calendar)
        if due.due_on != row.due_on or due.calendar_source != row.calendar_source:
            await start_clock(uow, dispute, due, now)
            moved += 1
    return moved


def explained(
    clock: str,
    started_on: date,
    due_on: date | None,
    calendar: WorkCalendar,
    *,
    extended_days: int = 0,
    agreed_on: date | None = None,
) -> dict[str, Any]:
    """What the API says of a kept clock besides its due day: the last day by counting when
    the end was moved off a rest day or holiday, why (a `rest_reason` code), and whether a year
    it relies on is not loaded (counted Monday to Friday), read with the calendar in force."""
    end = stored_end(
        ClockName(clock),
        started_on,
        due_on,
        calendar,
        extended_days=extended_days,
        agreed_on=agreed_on,
    )
    if end is None:
        return {"nominal_due_on": None, "moved_because": None, "calendar_missing": False}
    return {
        "nominal_due_on": end.nominal_due_on if end.moved_because else None,
        "moved_because": end.moved_because,
        "calendar_missing": end.calendar_missing,
    }
