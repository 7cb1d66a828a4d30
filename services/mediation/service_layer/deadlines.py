"""What happens when a clock's timer fires: a warning, or the expiry and its legal effect."""

from __future__ import annotations

from datetime import date

from services.mediation.domain.clocks import ClockName
from services.mediation.service_layer import groups
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import emit_case_event, load_dispute, settle
from shared.contracts.envelope import SYSTEM
from shared.contracts.events.mediation import DeadlineWarning
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork


async def on_timer(timer: Timer, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of every mediation timer (the kit claims it exactly once)."""
    clock = ClockName(timer.data["clock"])
    due_on = date.fromisoformat(timer.data["due_on"])
    dispute = await load_dispute(uow, timer.case_id)
    kept = dispute.clocks.get(clock.value)
    if kept is None or kept.status != "open" or kept.due_on != due_on:
        return  # the clock stopped or moved since this timer was set: nothing to say
    if timer.kind.endswith(":expire"):
        ended = dispute.expire(clock, ctx.now(), ctx.calendar)
        await settle(uow, dispute)
        if ended:
            await groups.tell_members(uow, dispute, "ended", SYSTEM)
        return
    emit_case_event(
        uow,
        dispute.case_id,
        "deadline.warning",
        DeadlineWarning(
            clock=clock.value,
            due_on=due_on,
            days_left=int(timer.data.get("days_left", 0)),
            **dispute.moved(kept, ctx.calendar),
        ),
        SYSTEM,
    )
