"""An officer corrected a hazard's category or place: re-triage and re-route when it matters."""

from __future__ import annotations

from services.dispatch.domain.errors import NoDepartment
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import UNROUTED, WORKING, State
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.routing import route_or_hold
from services.dispatch.service_layer.steps import find, settle
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.intake import CaseCorrected
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def on_case_corrected(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of `case.corrected`: a routed ticket moves only if another department is due."""
    try:
        corrected = read_payload(envelope, CaseCorrected)
    except ValueError as exc:
        raise PermanentError(f"case.corrected payload: {exc}") from exc
    hazard = await find(uow, envelope.case_id)
    if hazard is None:
        return  # a dispute, or not a case dispatch knows
    changed = (corrected.category, corrected.jurisdiction) != (
        hazard.category,
        hazard.jurisdiction,
    )
    note = (
        f"{hazard.category}/{hazard.jurisdiction} -> {corrected.category}/"
        f"{corrected.jurisdiction} {corrected.reason}"
    )
    hazard.category, hazard.jurisdiction = corrected.category, corrected.jurisdiction
    if corrected.title:  # the new category's title: the next dispatch goes out under it
        hazard.title = corrected.title
    if corrected.location is not None:
        hazard.latitude, hazard.longitude = corrected.location.lat, corrected.location.lng
    hazard.note("correct", envelope.actor, ctx.clock.now(), note=note.strip())
    await _reroute(hazard, changed, corrected, envelope.actor, uow, ctx)
    await settle(uow, hazard, envelope)


async def _reroute(
    hazard: Hazard,
    changed: bool,
    corrected: CaseCorrected,
    corrected_by: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    """A routed ticket moves only if another department is due; an unrouted one is routed."""
    state = State(hazard.state)
    if not changed or state not in (*WORKING, *UNROUTED):
        return
    previous = hazard.department_id if state in WORKING else None
    if previous is not None:
        try:
            directory = await hazards_in(uow).directory()
            if directory.route(hazard.category, hazard.jurisdiction).department_id == previous:
                return  # still the same department's job: its clocks keep running
        except NoDepartment:
            pass
        hazard.take("retriage", SYSTEM, ctx.clock.now(), note="corrected")
        # The former department is told the ticket left it, and its queue drops it.
        hazard.withdraw("corrected", corrected.reason, corrected_by)
    await route_or_hold(uow, hazard, ctx, rerouted_from=previous)
