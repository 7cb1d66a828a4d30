"""Open311 service request updates posted by a department's own system (FixMyStreet extension)."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta

from sqlmodel import select

from services.intake.adapters import repository
from services.intake.adapters.tables import Case, DepartmentUpdate
from services.intake.domain.commands import DepartmentUpdateIn
from services.intake.domain.errors import Conflict, Forbidden, InvalidField, NotFound
from services.intake.domain.open311 import INBOUND_STATUSES, action_for
from services.intake.service_layer.projection import apply_event
from shared.clock import Clock
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.intake import DepartmentUpdatePosted
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"
# A department system's clock may run a little ahead of ours.
SKEW = timedelta(minutes=5)


async def post_update(
    cmd: DepartmentUpdateIn, department_id: str, uow: UnitOfWork, clock: Clock
) -> DepartmentUpdate:
    """Record the update once per (department, update_id) and ask dispatch to apply it.

    A repeat of an update_id with the same body returns the first record and changes nothing;
    with a different body it is a conflict (the department's system reused an id). An update
    dated in the future is refused.
    """
    if cmd.updated_datetime > clock.now() + SKEW:
        raise InvalidField("updated_datetime", "an update cannot be dated in the future")
    earlier = (
        await uow.session.exec(
            select(DepartmentUpdate).where(
                DepartmentUpdate.department_id == department_id,
                DepartmentUpdate.update_id == cmd.update_id,
            )
        )
    ).first()
    if earlier is not None:
        if str(earlier.case_id) != cmd.service_request_id:
            raise Conflict(f"update_id {cmd.update_id} was already used for another request")
        if not _same(earlier, cmd):
            raise Conflict(f"update_id {cmd.update_id} was already used with another body")
        return earlier
    case = await _hazard(uow, cmd.service_request_id)
    if case.department_id != department_id:
        raise Forbidden("this request is not dispatched to your department")
    action = action_for(cmd.status, case.status)
    if action is None:
        raise InvalidField("status", f"one of {', '.join(INBOUND_STATUSES)}")
    event = new_event(
        "department.update_posted",
        DepartmentUpdatePosted(
            department_id=department_id,
            update_id=cmd.update_id,
            action=action,
            note=cmd.description,
        ),
        case_id=case.id,
        actor=Actor(role="department", id=department_id),
        producer=PRODUCER,
        occurred_at=clock.now(),
    )
    row = DepartmentUpdate(
        department_id=department_id,
        update_id=cmd.update_id,
        case_id=case.id,
        status=cmd.status.lower(),
        action=action,
        description=cmd.description,
        updated_datetime=cmd.updated_datetime,
        event_id=event.event_id,
        received_at=clock.now(),
    )
    uow.session.add(row)
    apply_event(case, event, uow.session)
    uow.emit(event)
    return row


def _same(earlier: DepartmentUpdate, cmd: DepartmentUpdateIn) -> bool:
    at = earlier.updated_datetime
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return (earlier.status, earlier.description, at) == (
        cmd.status.lower(),
        cmd.description,
        cmd.updated_datetime,
    )


async def _hazard(uow: UnitOfWork, service_request_id: str) -> Case:
    try:
        case_id = uuid.UUID(service_request_id)
    except ValueError:
        raise NotFound(service_request_id) from None
    case = await repository.get_case(uow.session, case_id, lock=True)
    if case is None or case.kind != "hazard":
        raise NotFound(service_request_id)
    return case
