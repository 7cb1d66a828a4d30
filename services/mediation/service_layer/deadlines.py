"""What happens when a clock's timer fires: a warning, or the expiry and its legal effect."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select

from services.mediation.adapters.tables import Dispute, DisputeClock
from services.mediation.domain.clocks import ClockName, stored_end
from services.mediation.domain.lifecycle import TRANSITIONS, State
from services.mediation.service_layer import outcomes
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import announce, load, step
from shared.contracts.envelope import SYSTEM
from shared.contracts.events.mediation import (
    DeadlineExpired,
    DeadlineWarning,
    PerformanceNotPerformed,
)
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork


async def on_timer(timer: Timer, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of every mediation timer (the kit claims it exactly once)."""
    clock = ClockName(timer.data["clock"])
    due_on = date.fromisoformat(timer.data["due_on"])
    dispute = await load(uow, timer.case_id)
    row = (
        await uow.session.exec(
            select(DisputeClock).where(
                DisputeClock.case_id == dispute.case_id, DisputeClock.clock == clock.value
            )
        )
    ).first()
    if row is None or row.status != "open" or row.due_on != due_on:
        return  # the clock stopped or moved since this timer was set: nothing to say
    if timer.kind.endswith(":expire"):
        await _expire(uow, dispute, row, ctx)
        return
    announce(
        uow,
        dispute,
        "deadline.warning",
        DeadlineWarning(
            clock=clock.value,
            due_on=due_on,
            days_left=int(timer.data.get("days_left", 0)),
            **moved(dispute, row, ctx),
        ),
        SYSTEM,
    )


def moved(dispute: Dispute, row: DisputeClock, ctx: Context) -> dict[str, Any]:
    """Where the clock's end was moved off a rest day or holiday, and why (art. 203), read
    with the calendar in force: the notices and the timeline say "顺延至…（国庆节假期）"."""
    end = stored_end(
        ClockName(row.clock),
        row.started_on,
        row.due_on,
        ctx.calendar,
        extended_days=dispute.mediation_extended_days,
        agreed_on=dispute.performance_deadline,
    )
    if end is None:
        return {}
    return {
        "nominal_due_on": end.nominal_due_on if end.moved_because else None,
        "moved_because": end.moved_because,
        "calendar_missing": end.calendar_missing,
    }


async def _expire(uow: UnitOfWork, dispute: Dispute, row: DisputeClock, ctx: Context) -> None:
    now = ctx.now()
    row.status, row.updated_at = "expired", now
    uow.session.add(row)
    assert row.due_on is not None
    announce(
        uow,
        dispute,
        "deadline.expired",
        DeadlineExpired(clock=row.clock, due_on=row.due_on, **moved(dispute, row, ctx)),
        SYSTEM,
    )
    state = State(dispute.state)
    if row.clock == ClockName.MEDIATION_LIMIT and state in TRANSITIONS["expire"][0]:
        await outcomes.end_without_agreement(
            uow,
            dispute,
            "expire",
            "mediation.expired",
            "调解期限届满未达成协议，当事人可依法申请劳动争议仲裁。",
            SYSTEM,
            ctx,
        )
    elif row.clock == ClockName.PERFORMANCE and state is State.PERFORMANCE_MONITORING:
        note = "履行期限届满，未见履行记录 / performance deadline passed unrecorded"
        step(uow, dispute, "record_non_performance", SYSTEM, now=now, note=note)
        announce(
            uow,
            dispute,
            "performance.not_performed",
            PerformanceNotPerformed(state=dispute.state, note=note),
            SYSTEM,
        )
