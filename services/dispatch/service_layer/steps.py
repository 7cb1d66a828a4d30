"""Loading a hazard for a use case, and saving it with the events it raised (the outbox)."""

from __future__ import annotations

import uuid

from services.dispatch.domain.errors import NotFound
from services.dispatch.domain.hazard import Hazard
from services.dispatch.service_layer.repository import hazards_in
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork

PRODUCER = "dispatch"


async def load(uow: UnitOfWork, case_id: uuid.UUID) -> Hazard:
    """The hazard, row-locked for the rest of the transaction."""
    hazard = await hazards_in(uow).get(case_id)
    if hazard is None:
        raise NotFound(str(case_id))
    return hazard


async def find(uow: UnitOfWork, case_id: uuid.UUID) -> Hazard | None:
    return await hazards_in(uow).get(case_id)


async def settle(uow: UnitOfWork, hazard: Hazard, cause: Envelope | None = None) -> None:
    """Save the hazard and queue the events it raised, in order, on the outbox.

    Safe to call again: what was saved and published is not repeated."""
    await hazards_in(uow).save(hazard)
    raised, hazard.events = hazard.events, []
    uow.emit_raised(raised, case_id=hazard.case_id, cause=cause)
