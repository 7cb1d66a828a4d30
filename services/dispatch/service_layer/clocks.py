"""A hazard's timers: service targets start with a dispatch, the confirmation window with a fix.

A hazard never dispatched has no timers (`Hazard.ever_timed`), so there is nothing to cancel:
skipping the UPDATE spares every new hazard a round trip on its way to a department.
"""

from __future__ import annotations

from datetime import datetime

from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.targets import CONFIRMATION, TARGETS, Due, TargetName, kinds_of
from services.dispatch.service_layer.repository import hazards_in
from shared.messaging.uow import UnitOfWork


async def start_targets(uow: UnitOfWork, hazard: Hazard, planned: list[Due]) -> None:
    """The warnings and escalations of the due times a dispatch just set."""
    await hazards_in(uow).schedule(hazard.case_id, [(t.kind, t.at, t.data) for t in planned])


async def stop_targets(
    uow: UnitOfWork, hazard: Hazard, at: datetime, names: tuple[TargetName, ...] = TARGETS
) -> None:
    if not hazard.ever_timed:
        return
    kinds = tuple(kind for name in names for kind in kinds_of(name))
    await hazards_in(uow).cancel(hazard.case_id, kinds, at)


async def start_confirmation(
    uow: UnitOfWork, hazard: Hazard, at: datetime, window_end: datetime
) -> None:
    assert hazard.ever_timed, "a fix needs a dispatch first"
    planned = [(CONFIRMATION, window_end, {"resolved_at": at.isoformat()})]
    await hazards_in(uow).schedule(hazard.case_id, planned)


async def stop_all(uow: UnitOfWork, hazard: Hazard, at: datetime) -> None:
    """Nothing more is due on this ticket (closed, cancelled, merged, back to triage)."""
    if not hazard.ever_timed:
        return
    kinds = (*kinds_of("acknowledge"), *kinds_of("resolve"), CONFIRMATION)
    await hazards_in(uow).cancel(hazard.case_id, kinds, at)
