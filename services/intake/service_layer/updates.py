"""Open311 service request updates posted by a department's own system (FixMyStreet extension)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.intake.domain.case import Case
from services.intake.domain.commands import DepartmentUpdateIn
from services.intake.domain.department_update import PostedUpdate
from services.intake.domain.errors import InvalidField, NotFound
from services.intake.domain.repository import CaseRepository
from services.intake.service_layer.case_repository import cases_in, settle
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock

# A department system's clock may run a little ahead of ours.
SKEW = timedelta(minutes=5)


async def post_update(
    cmd: DepartmentUpdateIn, department_id: str, uow: UnitOfWork, clock: Clock
) -> PostedUpdate:
    """Record the update once per (department, update_id) and ask dispatch to apply it.

    A repeat of an update_id with the same body returns the first record and changes nothing;
    with a different body it is a conflict (the department's system reused an id). An update
    dated in the future is refused.
    """
    if cmd.updated_datetime > clock.now() + SKEW:
        raise InvalidField("updated_datetime", "an update cannot be dated in the future")
    cases = cases_in(uow)
    earlier = await cases.posted_update(department_id, cmd.update_id)
    if earlier is not None:
        earlier.check_repeat(cmd)
        return earlier
    case = await _hazard(cases, cmd.service_request_id)
    action = case.post_department_update(department_id, cmd.update_id, cmd.status, cmd.description)
    (event,) = await settle(uow, cases, case, clock.now())
    posted = PostedUpdate(
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
    cases.add_posted_update(posted)
    return posted


async def _hazard(cases: CaseRepository, service_request_id: str) -> Case:
    try:
        case_id = uuid.UUID(service_request_id)
    except ValueError:
        raise NotFound(service_request_id) from None
    case = await cases.get(case_id)
    if case is None or case.kind != "hazard":
        raise NotFound(service_request_id)
    return case
