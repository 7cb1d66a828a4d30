"""Service targets as dates: when each target is due, when to warn, when to escalate to whom.

Targets count calendar time: a hazard on the road does not wait for Monday. Each warning and
each escalation level becomes one durable timer keyed by (ticket, kind, time), so it is
emitted exactly once however many replicas run; new due times (a reopen, a re-route) give
new keys, hence new timers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from services.dispatch.domain.directory import ServiceTarget
from services.dispatch.domain.lifecycle import State

TargetName = Literal["acknowledge", "resolve"]
TARGETS: tuple[TargetName, ...] = ("acknowledge", "resolve")
MAX_LEVELS = 5
CONFIRMATION = "confirmation.window"


@dataclass(frozen=True)
class Due:
    """One timer to schedule."""

    kind: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)


def due_times(target: ServiceTarget, start: datetime) -> tuple[datetime, datetime]:
    """(acknowledge by, resolve by) for a ticket dispatched at `start`."""
    return (
        start + timedelta(hours=target.acknowledge_hours),
        start + timedelta(days=target.resolve_days),
    )


def kinds_of(name: TargetName) -> tuple[str, ...]:
    """Every timer kind a target may have scheduled (to cancel them all)."""
    return (f"{name}.warning", *(f"{name}.escalation.{n}" for n in range(1, MAX_LEVELS + 1)))


def plan(
    name: TargetName,
    start: datetime,
    due: datetime,
    target: ServiceTarget,
    department_id: str,
    chain: list[str],
) -> list[Due]:
    """The warning before `due`, then one escalation per level of the chain from `due` on."""
    base = {"target": name, "due_at": due.isoformat(), "department_id": department_id}
    warn_at = due - (due - start) * target.warn_before_fraction
    timers = [Due(f"{name}.warning", warn_at, base)]
    step = timedelta(hours=target.escalation_step_hours)
    # With no one above it, the breach is still announced once, to the department's own line.
    for level, who in enumerate((chain or [department_id])[:MAX_LEVELS], start=1):
        timers.append(
            Due(
                f"{name}.escalation.{level}",
                due + step * (level - 1),
                base | {"level": level, "escalated_to": who},
            )
        )
    return timers


def pending_target(state: State) -> TargetName | None:
    """The target a ticket in this state still has to meet (None: it waits on nobody's clock)."""
    if state is State.DISPATCHED:
        return "acknowledge"
    if state in (State.ACKNOWLEDGED, State.IN_PROGRESS):
        return "resolve"
    return None


def still_applies(
    name: TargetName, state: State, due_now: datetime | None, due_then: datetime
) -> bool:
    """A fired timer counts only while its target is unmet and its due time unchanged."""
    if due_now is None or due_now != due_then:
        return False
    if name == "acknowledge":
        return state is State.DISPATCHED
    return state in (State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)


def next_due(
    state: State, acknowledge_due: datetime | None, resolve_due: datetime | None
) -> datetime | None:
    """The due time that orders a department's queue (the earliest target not yet met)."""
    pending = pending_target(state)
    if pending == "acknowledge":
        return acknowledge_due
    if pending == "resolve":
        return resolve_due
    return None
