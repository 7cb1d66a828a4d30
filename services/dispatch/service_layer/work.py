"""The department's work on a ticket, and the officer's hand on its routing.

Use cases do not commit: an HTTP route commits them, an event handler leaves the commit to
the consumer kit (with the processed-event record).
"""

from __future__ import annotations

from services.dispatch.domain.errors import InvalidEntry, NotFound
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import State
from services.dispatch.service_layer.clocks import start_confirmation, stop_all, stop_targets
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.duplicates import followers_of
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.routing import (
    department_named,
    dispatch_to,
    route_or_hold,
)
from services.dispatch.service_layer.steps import settle
from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.dispatch import HazardResolved
from shared.messaging.uow import UnitOfWork


async def acknowledge(
    hazard: Hazard, actor: Actor, uow: UnitOfWork, ctx: Context, cause: Envelope | None = None
) -> Hazard:
    """The department takes the ticket; the acknowledge target is met."""
    now = ctx.clock.now()
    hazard.acknowledge(actor, now)
    await stop_targets(uow, hazard, now, ("acknowledge",))
    await settle(uow, hazard, cause)
    return hazard


async def note_progress(
    hazard: Hazard,
    note: str,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
    cause: Envelope | None = None,
) -> Hazard:
    """A progress note; the first one moves the ticket to in_progress."""
    hazard.note_progress(note, actor, ctx.clock.now())
    await settle(uow, hazard, cause)
    return hazard


async def resolve(
    hazard: Hazard,
    note: str,
    photo_url: str | None,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
    cause: Envelope | None = None,
) -> Hazard:
    """The department reports it fixed; the reporter (and followers) are asked to confirm."""
    now = ctx.clock.now()
    hazard.resolve(note, photo_url, actor, now)
    await stop_targets(uow, hazard, now)
    await start_confirmation(uow, hazard, now, now + ctx.confirmation_window)
    hazard.raise_event(
        "hazard.resolved",
        HazardResolved(
            state=hazard.state,
            department_id=actor.id,
            note=note,
            photo_url=photo_url,
            confirm_by=now + ctx.confirmation_window,
            followers=await followers_of(uow, hazard.case_id),
        ),
        actor,
    )
    await settle(uow, hazard, cause)
    return hazard


async def decline(
    hazard: Hazard,
    reason: str,
    suggested: str | None,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
    cause: Envelope | None = None,
) -> Hazard:
    """ "Not ours": to the department named, else the next one covering it, else triage.

    A department named that is not an active one of the directory is refused (422 on
    `department_id`) before anything changes: the caller meant somebody, and routing the
    ticket elsewhere silently would hide the mistake."""
    hazard.check_department(actor)
    declined_by = hazard.department_id or actor.id
    named = None
    if suggested and suggested != declined_by:
        try:
            named = await department_named(uow, suggested)
        except NotFound:
            raise InvalidEntry(
                "department_id", f"没有这个在用的部门（no active department {suggested}）"
            ) from None
    hazard.decline(reason, actor, ctx.clock.now())
    if named is not None:
        department, directory = named
        await dispatch_to(uow, hazard, department, directory, ctx, rerouted_from=declined_by)
    else:
        exclude = frozenset(await declined_departments(uow, hazard))
        await route_or_hold(uow, hazard, ctx, exclude=exclude, rerouted_from=declined_by)
    await settle(uow, hazard, cause)
    return hazard


async def declined_departments(uow: UnitOfWork, hazard: Hazard) -> list[str]:
    """Every department that already said "not ours" about this hazard (this time included)."""
    unsaved = [e.actor.id for e in hazard.history if e.action == "decline"]
    return await hazards_in(uow).declined_by(hazard.case_id) + unsaved


async def route_by_hand(
    hazard: Hazard, department_id: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Hazard:
    """An officer routes an unrouted ticket, or moves a routed one, to a named department."""
    department, directory = await department_named(uow, department_id)
    previous = hazard.department_id
    moved = previous if previous and previous != department_id else None
    if State(hazard.state) not in (State.TRIAGED, State.NOT_RESPONSIBLE):
        hazard.take("retriage", actor, ctx.clock.now(), note=f"to {department_id}")
        if moved:  # taken from a department still holding it: it is told
            hazard.withdraw("moved", "", actor)
    await dispatch_to(uow, hazard, department, directory, ctx, actor=actor, rerouted_from=moved)
    await settle(uow, hazard)
    return hazard


async def cancel(
    hazard: Hazard, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Hazard:
    """Withdrawn by its reporter, or cancelled by an officer (e.g. filed in error)."""
    now = ctx.clock.now()
    hazard.cancel(reason, actor, now)
    await stop_all(uow, hazard, now)
    await settle(uow, hazard)
    return hazard
