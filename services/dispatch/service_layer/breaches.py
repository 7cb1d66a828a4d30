"""Fired timers: warn before a target is breached, escalate up the chain, close unconfirmed.

Each runs inside the timer's claim transaction (shared/messaging/timers.py), so the event and
the claim commit together: exactly once per (ticket, kind, due time) across replicas.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from services.dispatch.domain.errors import HazardBusy
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.targets import CONFIRMATION, TargetName
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.loop import close_unconfirmed
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.steps import settle
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork

__all__ = ["HazardBusy", "on_timer"]

log = structlog.get_logger(__name__)


async def on_timer(timer: Timer, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of the dispatch timer scheduler."""
    # Lock the hazard without waiting: a department's request holds the hazard, then the
    # timers it cancels, while this claim holds a timer, then wants the hazard — waiting here
    # would deadlock. Giving way (HazardBusy) rolls the claim back; the next round sees the
    # new state.
    hazard = await hazards_in(uow).get_unless_busy(timer.case_id)
    if hazard is None:
        log.warning("timer_without_hazard", case_id=str(timer.case_id), kind=timer.kind)
        return
    if timer.kind == CONFIRMATION:
        await close_unconfirmed(hazard, uow, ctx)
        return
    name: TargetName = timer.data["target"]
    due = datetime.fromisoformat(timer.data["due_at"])
    if not hazard.breach_applies(name, timer.data["department_id"], due):
        return  # met or superseded meanwhile: the timer was just not cancelled in time
    if timer.kind.endswith(".warning"):
        hazard.warn(name, due, ctx.clock.now())
    else:
        await escalate(
            hazard, name, due, int(timer.data["level"]), timer.data["escalated_to"], uow, ctx
        )
    await settle(uow, hazard)


async def escalate(
    hazard: Hazard,
    name: TargetName,
    due: datetime,
    level: int,
    to: str,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    hazards = hazards_in(uow)
    entry = (await hazards.directory()).get(to)
    now = ctx.clock.now()
    hazard.escalate(name, due, level, to, entry.name if entry else None, now)
    # The supervisor it goes to may now read and work it (its supervision queue).
    hazards.add_escalation(hazard, to, name, level, due, now)
