"""The closed loop with the reporter: "is it fixed?" — yes closes, no reopens, silence closes."""

from __future__ import annotations

from services.dispatch.domain.errors import NotFound
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import State
from services.dispatch.service_layer.clocks import stop_all
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.duplicates import followers_of
from services.dispatch.service_layer.points import credit_verified
from services.dispatch.service_layer.routing import department_named, dispatch_to, route_or_hold
from services.dispatch.service_layer.steps import find, settle
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.dispatch import HazardClosed, HazardReopened
from shared.messaging.uow import UnitOfWork

CONFIRMED = "confirmed_fixed"
UNCONFIRMED = "resolved_unconfirmed"


async def close(uow: UnitOfWork, hazard: Hazard, resolution: str, ctx: Context) -> None:
    """Close a resolved hazard, stop its clocks and credit its reporter."""
    now = ctx.clock.now()
    hazard.take("close", SYSTEM, now, note=resolution)
    await stop_all(uow, hazard, now)
    hazard.raise_event(
        "hazard.closed",
        HazardClosed(
            state=hazard.state,
            resolution=resolution,
            followers=await followers_of(uow, hazard.case_id),
        ),
    )
    await credit_verified(uow, hazard, now)


async def on_reporter_answer(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of the reporter's answer (also a follower's, sent on their merged duplicate)."""
    hazard = await find(uow, envelope.case_id)
    if hazard is not None and hazard.state == State.DUPLICATE and hazard.original_case_id:
        hazard = await find(uow, hazard.original_case_id)
    if hazard is None or hazard.state != State.RESOLVED:
        return  # an answer to a question no longer asked (e.g. a repeated answer)
    note = str(envelope.payload.get("note", ""))[:1000]
    if envelope.event_type == "reporter.confirmed_fixed":
        hazard.confirm_fixed(note, envelope.actor, ctx.clock.now())
        await close(uow, hazard, CONFIRMED, ctx)
    else:
        await reopen(uow, hazard, note, ctx, envelope)
    await settle(uow, hazard, envelope)


async def reopen(uow: UnitOfWork, hazard: Hazard, note: str, ctx: Context, cause: Envelope) -> None:
    """Not fixed: back to the same department with the reporter's note and new due times."""
    hazard.report_not_fixed(note, cause.actor, ctx.clock.now())
    hazard.raise_event(
        "hazard.reopened",
        HazardReopened(
            state=hazard.state,
            note=note,
            department_id=hazard.department_id,
            followers=await followers_of(uow, hazard.case_id),
        ),
        cause.actor,
    )
    try:
        department, directory = await department_named(uow, hazard.department_id or "")
    except NotFound:  # the department left the directory meanwhile: route afresh
        await route_or_hold(uow, hazard, ctx)
        return
    await dispatch_to(uow, hazard, department, directory, ctx)


async def close_unconfirmed(hazard: Hazard, uow: UnitOfWork, ctx: Context) -> None:
    """The confirmation window passed without an answer."""
    if hazard.state != State.RESOLVED:
        return
    hazard.note("confirmation_window_passed", SYSTEM, ctx.clock.now())
    await close(uow, hazard, UNCONFIRMED, ctx)
    await settle(uow, hazard)
