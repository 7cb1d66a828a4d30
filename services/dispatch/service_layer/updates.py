"""Updates from a department's own work-order system (Open311 `servicerequestupdates`, J9)."""

from __future__ import annotations

from sqlmodel import select

from services.dispatch.adapters.tables import DepartmentUpdate
from services.dispatch.domain.errors import DispatchError
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import State
from services.dispatch.service_layer import work
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.steps import find
from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.intake import DepartmentUpdatePosted
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def on_department_update(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Apply an update once per (department, update_id); one that cannot apply is recorded."""
    try:
        update = read_payload(envelope, DepartmentUpdatePosted)
    except ValueError as exc:
        raise PermanentError(f"department.update_posted payload: {exc}") from exc
    seen = await uow.session.exec(
        select(DepartmentUpdate.id).where(
            DepartmentUpdate.department_id == update.department_id,
            DepartmentUpdate.update_id == update.update_id,
        )
    )
    if seen.first() is not None:
        return
    hazard = await find(uow, envelope.case_id)
    outcome = "applied"
    if hazard is None:
        outcome = "ignored: no such hazard"
    else:
        try:
            await apply(hazard, update, uow, ctx, envelope)
        except DispatchError as exc:  # e.g. a late "resolve" on a closed ticket
            outcome = f"ignored: {exc}"
    uow.session.add(
        DepartmentUpdate(
            department_id=update.department_id,
            update_id=update.update_id,
            case_id=envelope.case_id,
            action=update.action,
            outcome=outcome[:300],
            at=ctx.clock.now(),
        )
    )


async def apply(
    hazard: Hazard, update: DepartmentUpdatePosted, uow: UnitOfWork, ctx: Context, cause: Envelope
) -> None:
    """A work-order system that skips "acknowledge" acknowledges with its first update."""
    actor = Actor(role="department", id=update.department_id)
    note = update.note or update.action
    if update.action == "decline":
        await work.decline(hazard, note, None, actor, uow, ctx, cause)
        return
    if update.action != "acknowledge" and hazard.state == State.DISPATCHED:
        await work.acknowledge(hazard, actor, uow, ctx, cause)
    if update.action == "acknowledge":
        await work.acknowledge(hazard, actor, uow, ctx, cause)
    elif update.action == "progress":
        await work.note_progress(hazard, note, actor, uow, ctx, cause)
    else:
        await work.resolve(hazard, note, None, actor, uow, ctx, cause)
