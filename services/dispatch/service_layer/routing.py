"""A filed hazard reaches dispatch: triage it and route it to the responsible department."""

from __future__ import annotations

from services.dispatch.domain.directory import Department, Directory
from services.dispatch.domain.errors import NoDepartment, NotFound
from services.dispatch.domain.hazard import Hazard
from services.dispatch.domain.lifecycle import State
from services.dispatch.service_layer import compounds
from services.dispatch.service_layer.clocks import start_targets, stop_all
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.duplicates import register_duplicate, unfollow
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.steps import find, settle
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.intake import CaseFiled, CaseUnmerged
from shared.contracts.filed import filed_case
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


def _hazard_from(envelope: Envelope, filed: CaseFiled) -> Hazard:
    assert filed.hazard is not None
    reporter = next((p for p in filed.parties if p.role == "reporter"), filed.parties[0])
    return Hazard(
        case_id=envelope.case_id,
        tracking_code=filed.tracking_code,
        state="filed",
        category=filed.hazard.category,
        jurisdiction=filed.jurisdiction,
        urgency=filed.hazard.urgency,
        title=filed.title,
        latitude=filed.hazard.location.lat,
        longitude=filed.hazard.location.lng,
        reporter_id=reporter.party_id,
        original_case_id=filed.duplicate_of,
        filed_at=envelope.occurred_at,
        updated_at=envelope.occurred_at,
    )


async def receive_hazard(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of `case.filed` for hazards: register, then route it or file it as a duplicate."""
    filed = filed_case(envelope, "hazard")  # unreadable: a ValueError, dead-lettered at once
    if filed is None:
        return
    hazard = _hazard_from(envelope, filed)
    hazards_in(uow).add(hazard)
    link = await compounds.find_link(uow, hazard, f"{filed.title} {filed.description}")
    if filed.duplicate_of is not None:
        await register_duplicate(uow, hazard, filed.duplicate_of, ctx)
    else:
        hazard.take("triage", SYSTEM, ctx.clock.now())
        if link is None or not await _to_lead(uow, hazard, link.lead_id, ctx):
            await route_or_hold(uow, hazard, ctx)
    if link is not None:
        await compounds.record_link(uow, hazard, link, ctx)
    await settle(uow, hazard, envelope)


async def _to_lead(uow: UnitOfWork, hazard: Hazard, lead_id: str, ctx: Context) -> bool:
    """A compound's report goes to the body that leads there, when it is an active one."""
    directory = await hazards_in(uow).directory()
    lead = directory.get(lead_id)
    if lead is None or not lead.active or lead.kind != "department":
        return False
    await dispatch_to(uow, hazard, lead, directory, ctx)
    return True


async def route_or_hold(
    uow: UnitOfWork,
    hazard: Hazard,
    ctx: Context,
    *,
    exclude: frozenset[str] = frozenset(),
    rerouted_from: str | None = None,
) -> Department | None:
    """Route by the directory; when nobody covers it, it waits in the triage queue."""
    directory = await hazards_in(uow).directory()
    try:
        department = directory.route(hazard.category, hazard.jurisdiction, exclude)
    except NoDepartment as exc:
        hazard.note("hold_for_triage", SYSTEM, ctx.clock.now(), note=str(exc))
        await stop_all(uow, hazard, ctx.clock.now())
        return None
    await dispatch_to(uow, hazard, department, directory, ctx, rerouted_from=rerouted_from)
    return department


async def dispatch_to(
    uow: UnitOfWork,
    hazard: Hazard,
    department: Department,
    directory: Directory,
    ctx: Context,
    *,
    actor: Actor = SYSTEM,
    rerouted_from: str | None = None,
) -> None:
    """Dispatch to this department with fresh due times (and their timers)."""
    now = ctx.clock.now()
    # The old due times' timers go before the dispatch stamps the new ones.
    await stop_all(uow, hazard, now)
    chain = [d.department_id for d in directory.escalation_chain(department.department_id)]
    target = directory.target(hazard.category)
    planned = hazard.dispatch(
        department, target, chain, now, actor=actor, rerouted_from=rerouted_from
    )
    await start_targets(uow, hazard, planned)


async def department_named(uow: UnitOfWork, department_id: str) -> tuple[Department, Directory]:
    """An active department of the directory, for routing by hand."""
    directory = await hazards_in(uow).directory()
    department = directory.get(department_id)
    if department is None or not department.active or department.kind != "department":
        raise NotFound(f"no active department {department_id}")
    return department, directory


async def on_case_unmerged(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """A wrong merge was split: the case is routed on its own and no longer follows."""
    try:
        unmerged = read_payload(envelope, CaseUnmerged)
    except ValueError as exc:
        raise PermanentError(f"case.unmerged payload: {exc}") from exc
    await unfollow(uow, unmerged.from_case_id, unmerged.follower_party_id)
    hazard = await find(uow, envelope.case_id)
    if hazard is None or hazard.state != State.DUPLICATE:
        return  # not a hazard, or split before dispatch ever saw it as a duplicate
    actor = envelope.actor if envelope.actor.role == "intake_officer" else SYSTEM
    hazard.unmerge(actor, ctx.clock.now(), unmerged.from_case_id)
    await route_or_hold(uow, hazard, ctx)
    await settle(uow, hazard, envelope)
