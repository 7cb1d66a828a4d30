"""The department's work on a ticket, and the reporter's answer that closes the loop."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from services.dispatch.adapters.tables import Hazard
from services.dispatch.domain.directory import Directory
from services.dispatch.domain.errors import NotAllowed, NotFound
from services.dispatch.domain.lifecycle import State
from services.dispatch.service_layer.routing import dispatch_to_department
from services.dispatch.service_layer.steps import announce, load, step
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.dispatch import (
    HazardAcknowledged,
    HazardClosed,
    HazardConfirmedFixed,
    HazardResolved,
)
from shared.messaging.uow import UnitOfWork


def _check_department(hazard: Hazard, actor: Actor) -> None:
    if actor.role == "department" and actor.id != hazard.department_id:
        raise NotAllowed("this hazard is dispatched to another department")


async def acknowledge(case_id: uuid.UUID, actor: Actor, uow: UnitOfWork) -> Hazard:
    hazard = await load(uow, case_id)
    _check_department(hazard, actor)
    step(uow, hazard, "acknowledge", actor)
    announce(
        uow,
        hazard,
        "hazard.acknowledged",
        HazardAcknowledged(state=hazard.state, department_id=actor.id),
        actor,
    )
    await uow.commit()
    return hazard


async def resolve(case_id: uuid.UUID, note: str, actor: Actor, uow: UnitOfWork) -> Hazard:
    hazard = await load(uow, case_id)
    _check_department(hazard, actor)
    step(uow, hazard, "resolve", actor, note=note)
    hazard.resolution_note = note
    announce(
        uow,
        hazard,
        "hazard.resolved",
        HazardResolved(state=hazard.state, department_id=actor.id, note=note),
        actor,
    )
    await uow.commit()
    return hazard


async def on_reporter_answer(
    envelope: Envelope, uow: UnitOfWork, directory: Directory, now: Callable[[], datetime]
) -> None:
    """The reporter's "fixed" closes the ticket; "not fixed" reopens and re-dispatches it."""
    try:
        hazard = await load(uow, envelope.case_id)
    except NotFound:
        return
    if hazard.state != State.RESOLVED:
        return  # an answer to a question no longer asked (e.g. a repeated answer)
    note = str(envelope.payload.get("note", ""))
    if envelope.event_type == "reporter.confirmed_fixed":
        step(uow, hazard, "confirm_fixed", envelope.actor, note=note)
        announce(
            uow,
            hazard,
            "hazard.confirmed_fixed",
            HazardConfirmedFixed(state=hazard.state, note=note),
            envelope.actor,
            envelope,
        )
        step(uow, hazard, "close", SYSTEM)
        announce(
            uow,
            hazard,
            "hazard.closed",
            HazardClosed(state=hazard.state, resolution="confirmed_fixed"),
            SYSTEM,
            envelope,
        )
    else:
        step(uow, hazard, "report_not_fixed", envelope.actor, note=note)
        step(uow, hazard, "reopen", SYSTEM)
        dispatch_to_department(uow, hazard, directory, now(), envelope)
