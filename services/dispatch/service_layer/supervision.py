"""The supervisor's work: pressing (督办) a hazard escalated to it (its queue is in views.py).

A town or district supervisor is a department of the directory (the escalation chain names
it); it signs in with the department role and its own department id.
"""

from __future__ import annotations

from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.hazard import Hazard
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.steps import settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


async def urge(hazard: Hazard, note: str, actor: Actor, uow: UnitOfWork, ctx: Context) -> Hazard:
    """The supervisor presses the department on an open hazard escalated to it."""
    hazards = hazards_in(uow)
    if actor.role != "department" or not await hazards.escalated_to(hazard.case_id, actor.id):
        raise NotAllowed("only a supervisor this hazard was escalated to may press it")
    if not hazard.is_open:
        raise IllegalTransition("urge", hazard.state)
    entry = (await hazards.directory()).get(actor.id)
    hazard.urge(note, actor, entry.name if entry else None, ctx.clock.now())
    await settle(uow, hazard)
    return hazard
