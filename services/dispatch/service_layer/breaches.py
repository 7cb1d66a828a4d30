"""Fired timers: warn before a target is breached, escalate up the chain, close unconfirmed.

Each runs inside the timer's claim transaction (shared/messaging/timers.py), so the event and
the claim commit together: exactly once per (ticket, kind, due time) across replicas.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlmodel import select

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import Hazard, HazardEscalation
from services.dispatch.domain.lifecycle import State
from services.dispatch.domain.targets import CONFIRMATION, TargetName, still_applies
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.loop import close_unconfirmed
from services.dispatch.service_layer.steps import announce, record
from shared.contracts.envelope import SYSTEM
from shared.contracts.events.dispatch import HazardEscalated, HazardTargetWarning
from shared.messaging.timers import Timer
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger(__name__)


async def on_timer(timer: Timer, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of the dispatch timer scheduler."""
    hazard = await _lock_or_give_way(uow, timer)
    if hazard is None:
        log.warning("timer_without_hazard", case_id=str(timer.case_id), kind=timer.kind)
        return
    if timer.kind == CONFIRMATION:
        await close_unconfirmed(hazard, uow, ctx)
        return
    name: TargetName = timer.data["target"]
    due = datetime.fromisoformat(timer.data["due_at"])
    current = hazard.acknowledge_due if name == "acknowledge" else hazard.resolve_due
    if hazard.department_id != timer.data["department_id"] or not still_applies(
        name, State(hazard.state), current, due
    ):
        return  # met or superseded meanwhile: the timer was just not cancelled in time
    if timer.kind.endswith(".warning"):
        warn(hazard, name, due, uow, ctx)
    else:
        await escalate(
            hazard, name, due, int(timer.data["level"]), timer.data["escalated_to"], uow, ctx
        )


class HazardBusy(Exception):
    """Someone is changing the hazard right now; the timer stays due for the next round."""


async def _lock_or_give_way(uow: UnitOfWork, timer: Timer) -> Hazard | None:
    """Lock the hazard without waiting: a department's request holds the hazard, then the
    timers it cancels, while this claim holds a timer, then wants the hazard — waiting here
    would deadlock. Giving way rolls the claim back; the next round sees the new state."""
    stmt = select(Hazard).where(Hazard.case_id == timer.case_id).with_for_update(skip_locked=True)
    hazard = (await uow.session.exec(stmt)).first()
    if hazard is None and await uow.session.get(Hazard, timer.case_id) is not None:
        raise HazardBusy(str(timer.case_id))
    return hazard


def warn(hazard: Hazard, name: TargetName, due: datetime, uow: UnitOfWork, ctx: Context) -> None:
    assert hazard.department_id is not None
    record(uow, hazard, f"{name}_warning", SYSTEM, ctx.clock.now(), note=f"due {due.isoformat()}")
    announce(
        uow,
        hazard,
        "hazard.target_warning",
        HazardTargetWarning(
            state=hazard.state, target=name, due_at=due, department_id=hazard.department_id
        ),
        SYSTEM,
    )


async def escalate(
    hazard: Hazard,
    name: TargetName,
    due: datetime,
    level: int,
    to: str,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    entry = (await read_directory(uow.session)).get(to)
    note = f"level {level} to {to}, {name} due {due.isoformat()}"
    now = ctx.clock.now()
    record(uow, hazard, f"{name}_escalation", SYSTEM, now, note=note)
    # The supervisor it goes to may now read and work it (its supervision queue).
    uow.session.add(
        HazardEscalation(
            case_id=hazard.case_id,
            escalated_to=to,
            department_id=hazard.department_id,
            target=name,
            level=level,
            due_at=due,
            at=now,
        )
    )
    announce(
        uow,
        hazard,
        "hazard.escalated",
        HazardEscalated(
            state=hazard.state,
            target=name,
            due_at=due,
            level=level,
            escalated_to=to,
            escalated_to_name=entry.name if entry else None,
            department_id=hazard.department_id,
        ),
        SYSTEM,
    )
