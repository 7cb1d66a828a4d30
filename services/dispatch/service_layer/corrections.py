"""An officer corrected a hazard's category or place: re-triage and re-route when it matters."""

from __future__ import annotations

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.domain.errors import NoDepartment
from services.dispatch.domain.lifecycle import UNROUTED, WORKING, State
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.routing import route_or_hold, withdraw
from services.dispatch.service_layer.steps import find, record, step
from shared.contracts.envelope import SYSTEM, Envelope
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
    record(uow, hazard, "correct", envelope.actor, ctx.clock.now(), note=note.strip())
    state = State(hazard.state)
    if not changed or state not in (*WORKING, *UNROUTED):
        return
    previous = hazard.department_id if state in WORKING else None
    if previous is not None:
        try:
            directory = await read_directory(uow.session)
            if directory.route(hazard.category, hazard.jurisdiction).department_id == previous:
                return  # still the same department's job: its clocks keep running
        except NoDepartment:
            pass
        step(uow, hazard, "retriage", SYSTEM, ctx.clock.now(), note="corrected")
        # The former department is told the ticket left it, and its queue drops it.
        withdraw(uow, hazard, "corrected", corrected.reason, envelope.actor, envelope)
    await route_or_hold(uow, hazard, ctx, envelope, rerouted_from=previous)
