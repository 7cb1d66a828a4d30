"""Keeping a dispute's clocks: one row per clock, and durable timers for warnings and expiry.

The Dispute aggregate opens, moves and stops its clocks (domain/kept_clocks.py orders the
timers); this module re-reads them when a calendar year is loaded, and explains them.

Each warning and each expiry is a row of the kit's timer table keyed (case, kind, due_at):
scheduling it twice is a no-op and the scheduler claims it with a conditional update, so it
fires exactly once per (case, clock, due date) with any number of replicas and restarts. A
new due date (extension, a target resumed) is a new key; the old rows are cancelled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from services.mediation.adapters.tables import Dispute, DisputeClock
from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    deadline,
    nominal_due,
    stored_end,
)
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import load_dispute, settle
from shared.messaging.uow import UnitOfWork


async def open_clocks(uow: UnitOfWork, dispute: Dispute) -> list[DisputeClock]:
    stmt = select(DisputeClock).where(DisputeClock.case_id == dispute.case_id)
    return list((await uow.session.exec(stmt)).all())


async def recompute_legal_clocks(uow: UnitOfWork, ctx: Context, calendar: WorkCalendar) -> int:
    """After a calendar year was loaded: every open legal clock whose end the calendar now
    moves gets its new end, its warnings and its expiry rescheduled (the old timers cancelled).
    Run once, by the replica that stored the year, in the same transaction."""
    now = ctx.now()
    rows = (
        await uow.session.exec(
            select(DisputeClock.case_id, DisputeClock.clock)
            .where(col(DisputeClock.status) == "open", col(DisputeClock.legal).is_(True))
            .order_by(col(DisputeClock.case_id), col(DisputeClock.clock))
        )
    ).all()
    moved = 0
    for case_id in dict.fromkeys(case_id for case_id, _clock in rows):
        dispute = await load_dispute(uow, case_id)
        for kept in list(dispute.clocks.values()):
            if kept.status != "open" or not kept.legal:
                continue
            clock = ClockName(kept.clock)
            nominal = nominal_due(
                clock,
                kept.started_on,
                extended_days=dispute.mediation_extended_days,
                agreed_on=dispute.performance_deadline,
            )
            if nominal is None:
                continue
            due = deadline(clock, kept.started_on, nominal, calendar)
            if due.due_on != kept.due_on or due.calendar_source != kept.calendar_source:
                dispute.open_clock(due, now)
                moved += 1
        await settle(uow, dispute)
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
