"""Moving a dispute through its lifecycle: one checked step, one history row, one event.

`load_dispute` and `settle` carry the Dispute aggregate (domain/dispute.py) through its
repository; `load`, `record` and `announce` still serve the use cases that work on the
row (group members, grants, supplements, pattern alerts)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import select

from services.mediation.adapters.tables import Dispute, DisputeHistory
from services.mediation.domain.dispute import Dispute as Aggregate
from services.mediation.domain.errors import NotFound
from services.mediation.service_layer.repository import disputes_in
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import Payload
from shared.messaging.uow import UnitOfWork

PRODUCER = "mediation"


async def load(uow: UnitOfWork, case_id: uuid.UUID) -> Dispute:
    stmt = select(Dispute).where(Dispute.case_id == case_id).with_for_update()
    dispute = (await uow.session.exec(stmt)).first()
    if dispute is None:
        raise NotFound(str(case_id))
    return dispute


def record(
    uow: UnitOfWork,
    dispute: Dispute,
    action: str,
    actor: Actor,
    *,
    now: datetime | None = None,
    note: str = "",
    to_state: str | None = None,
) -> None:
    """One append-only history row (a step, or an act that keeps the state)."""
    at = now or uow.now()
    dispute.history_count += 1
    uow.session.add(
        DisputeHistory(
            case_id=dispute.case_id,
            position=dispute.history_count,
            action=action,
            from_state=dispute.state,
            to_state=to_state or dispute.state,
            actor_role=actor.role,
            actor_id=actor.id,
            at=at,
            note=note[:1000],
        )
    )
    dispute.state = to_state or dispute.state
    dispute.updated_at = at
    uow.session.add(dispute)


def announce(
    uow: UnitOfWork,
    dispute: Dispute | Aggregate,
    event_type: str,
    payload: Payload,
    actor: Actor,
    cause: Envelope | None = None,
) -> None:
    uow.emit(
        new_event(
            event_type,
            payload,
            case_id=dispute.case_id,
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
