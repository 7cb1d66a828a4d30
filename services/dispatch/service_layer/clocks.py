"""A hazard's timers: service targets start with a dispatch, the confirmation window with a fix."""

from __future__ import annotations

from datetime import datetime

from services.dispatch.adapters.tables import TIMER, Hazard
from services.dispatch.domain.directory import Directory
from services.dispatch.domain.lifecycle import State
from services.dispatch.domain.targets import (
    CONFIRMATION,
    TARGETS,
    TargetName,
    due_times,
    kinds_of,
    next_due,
    plan,
)
from shared.messaging import timers
from shared.messaging.uow import UnitOfWork


def _never_timed(hazard: Hazard) -> bool:
    """A hazard never dispatched has no timers, so there is nothing to cancel.

    Timers start only in `start_targets`, which stamps `dispatched_at` first (it is never
    cleared), and in `start_confirmation`, after a fix, which needs a dispatch before it.
    Skipping the UPDATE spares every new hazard a round trip on its way to a department.
    """
    return hazard.dispatched_at is None


async def start_targets(
    uow: UnitOfWork, hazard: Hazard, directory: Directory, start: datetime
) -> None:
    """New due times from `start` for the hazard's department, and their warnings/escalations."""
    assert hazard.department_id is not None
    target = directory.target(hazard.category)
    hazard.dispatched_at = start
    hazard.acknowledge_due, hazard.resolve_due = due_times(target, start)
    hazard.next_due = next_due(State(hazard.state), hazard.acknowledge_due, hazard.resolve_due)
    chain = [d.department_id for d in directory.escalation_chain(hazard.department_id)]
    planned = [
        (timer.kind, timer.at, timer.data)
        for name, due in (("acknowledge", hazard.acknowledge_due), ("resolve", hazard.resolve_due))
        for timer in plan(name, start, due, target, hazard.department_id, chain)  # type: ignore[arg-type]
    ]
    await timers.schedule_many(uow, TIMER, hazard.case_id, planned)


async def stop_targets(
    uow: UnitOfWork, hazard: Hazard, at: datetime, names: tuple[TargetName, ...] = TARGETS
) -> None:
    if _never_timed(hazard):
        return
    kinds = tuple(kind for name in names for kind in kinds_of(name))
    await timers.cancel(uow, TIMER, hazard.case_id, kinds, at)


async def start_confirmation(
    uow: UnitOfWork, hazard: Hazard, at: datetime, window_end: datetime
) -> None:
    assert not _never_timed(hazard), "a fix needs a dispatch first (see _never_timed)"
    await timers.schedule(
        uow, TIMER, hazard.case_id, CONFIRMATION, window_end, {"resolved_at": at.isoformat()}
    )


async def stop_all(uow: UnitOfWork, hazard: Hazard, at: datetime) -> None:
    """Nothing more is due on this ticket (closed, cancelled, merged, back to triage)."""
    if _never_timed(hazard):
        return
    kinds = (*kinds_of("acknowledge"), *kinds_of("resolve"), CONFIRMATION)
    await timers.cancel(uow, TIMER, hazard.case_id, kinds, at)
