"""Moving a dispute through its lifecycle: one checked step, one history row, one event.

`load_dispute` and `settle` carry the Dispute aggregate (domain/dispute.py) through its
repository; `emit_case_event` queues an event no step raised (a clock's warning, a pattern
alert, a group member's notice)."""

from __future__ import annotations

import uuid

from services.mediation.domain.dispute import Dispute as Aggregate
from services.mediation.domain.errors import NotFound
from services.mediation.service_layer.repository import disputes_in
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import Payload
from shared.messaging.uow import UnitOfWork

PRODUCER = "mediation"


def emit_case_event(
    uow: UnitOfWork,
    case_id: uuid.UUID,
    event_type: str,
    payload: Payload,
    actor: Actor,
    cause: Envelope | None = None,
) -> None:
    """Queue an event about a case that no aggregate step raised: a clock's warning, a pattern
    alert, what a group's member hears of its group (its own case, not the one loaded)."""
    uow.emit(
        new_event(
            event_type,
            payload,
            case_id=case_id,
            actor=actor,
            producer=PRODUCER,
            cause=cause,
            occurred_at=uow.now(),
        )
    )


async def load_dispute(uow: UnitOfWork, case_id: uuid.UUID) -> Aggregate:
    """The Dispute aggregate with its clocks, row-locked for the rest of the transaction."""
    dispute = await disputes_in(uow).get(case_id)
    if dispute is None:
        raise NotFound(str(case_id))
    return dispute


async def settle(uow: UnitOfWork, dispute: Aggregate, cause: Envelope | None = None) -> None:
    """Save the dispute and queue the events it raised, in order, on the outbox.

    Safe to call again: what was saved and published is not repeated."""
    await disputes_in(uow).save(dispute)
    raised, dispute.events = dispute.events, []
    uow.emit_raised(raised, case_id=dispute.case_id, cause=cause)
