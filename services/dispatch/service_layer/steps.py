"""Moving a hazard through its lifecycle: one checked step, one history row, one event."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import select

from services.dispatch.adapters.tables import Hazard, HazardHistory
from services.dispatch.domain.errors import NotAllowed, NotFound
from services.dispatch.domain.lifecycle import State, next_state
from services.dispatch.domain.targets import next_due
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import Payload
from shared.messaging.uow import UnitOfWork

PRODUCER = "dispatch"


async def load(uow: UnitOfWork, case_id: uuid.UUID) -> Hazard:
    """The hazard, row-locked for the rest of the transaction."""
    stmt = select(Hazard).where(Hazard.case_id == case_id).with_for_update()
    hazard = (await uow.session.exec(stmt)).first()
    if hazard is None:
        raise NotFound(str(case_id))
    return hazard


async def find(uow: UnitOfWork, case_id: uuid.UUID) -> Hazard | None:
    try:
        return await load(uow, case_id)
    except NotFound:
        return None


def check_department(hazard: Hazard, actor: Actor) -> None:
    """A department acts only on hazards dispatched to it (a supporting body or a supervisor
    reads it, and a supervisor urges)."""
    if actor.role == "department" and actor.id != hazard.department_id:
        raise NotAllowed(
            "本工单由派往的承办部门办理：签收、进展、办结、非本部门职责只能由它操作，"
            "配合处理的部门只能查看（this hazard is dispatched to another department）"
        )


def step(
    uow: UnitOfWork, hazard: Hazard, action: str, actor: Actor, at: datetime, *, note: str = ""
) -> State:
    """Check and apply one transition; record it on the hazard's history."""
    target = next_state(action, State(hazard.state), actor.role)
    record(uow, hazard, action, actor, at, note=note, to_state=target)
    hazard.state = target.value
    hazard.next_due = next_due(target, hazard.acknowledge_due, hazard.resolve_due)
    uow.session.add(hazard)
    return target


def record(
    uow: UnitOfWork,
    hazard: Hazard,
    action: str,
    actor: Actor,
    at: datetime,
    *,
    note: str = "",
    to_state: State | None = None,
) -> None:
    """A history row; without `to_state` it notes something that changes no state."""
    hazard.steps += 1
    hazard.updated_at = at
    uow.session.add(
        HazardHistory(
            case_id=hazard.case_id,
            seq=hazard.steps,
            action=action,
            from_state=hazard.state,
            to_state=(to_state or State(hazard.state)).value,
            actor_role=actor.role,
            actor_id=actor.id,
            at=at,
            note=note[:2000],
        )
    )
    uow.session.add(hazard)


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
            actor=actor,
            producer=PRODUCER,
            cause=cause,
            occurred_at=uow.now(),
        )
    )
