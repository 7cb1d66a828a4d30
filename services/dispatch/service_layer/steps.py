"""Moving a hazard through its lifecycle: one checked step, one history row, one event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import select

from services.dispatch.adapters.tables import Hazard, HazardHistory
from services.dispatch.domain.errors import NotFound
from services.dispatch.domain.lifecycle import State, next_state
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import Payload
from shared.messaging.uow import UnitOfWork

PRODUCER = "dispatch"


async def load(uow: UnitOfWork, case_id: uuid.UUID) -> Hazard:
    stmt = select(Hazard).where(Hazard.case_id == case_id).with_for_update()
    hazard = (await uow.session.exec(stmt)).first()
    if hazard is None:
        raise NotFound(str(case_id))
    return hazard


def step(uow: UnitOfWork, hazard: Hazard, action: str, actor: Actor, *, note: str = "") -> State:
    """Check and apply one transition; record it on the hazard's history."""
    target = next_state(action, State(hazard.state), actor.role)
    at = datetime.now(UTC)
    uow.session.add(
        HazardHistory(
            case_id=hazard.case_id,
            action=action,
            from_state=hazard.state,
            to_state=target.value,
            actor_role=actor.role,
            actor_id=actor.id,
            at=at,
            note=note[:2000],
        )
    )
    hazard.state = target.value
    hazard.updated_at = at
    uow.session.add(hazard)
    return target


def announce(
    uow: UnitOfWork,
    hazard: Hazard,
    event_type: str,
    payload: Payload,
    actor: Actor,
    cause: Envelope | None = None,
) -> None:
    uow.emit(
        new_event(
            event_type,
            payload,
            case_id=hazard.case_id,
            correlation_id=cause.correlation_id if cause else hazard.case_id,
            causation_id=cause.event_id if cause else None,
            actor=actor,
            producer=PRODUCER,
        )
    )
