"""Choosing the mediator: assignment on acceptance, reassignment on objection or risk.

The roster chooses (domain/roster.py); the Dispute aggregate takes the choice, its step and
its event; the repository brings the roster, the open caseload and who was assigned when."""

from __future__ import annotations

import uuid

from services.mediation.domain.clocks import local_date
from services.mediation.domain.dispute import Dispute
from services.mediation.domain.errors import AgainstTheRules, Incomplete, NotAllowed
from services.mediation.domain.lifecycle import State, check_reassignable
from services.mediation.domain.roster import (
    Mediator,
    Roster,
    choose_mediator,
    choose_police_mediator,
)
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


async def current_roster(uow: UnitOfWork, ctx: Context) -> Roster:
    """The roster configured through the API, else the file's."""
    return await disputes_in(uow).roster(ctx.roster_file)


async def open_caseload(uow: UnitOfWork) -> dict[str, int]:
    return await disputes_in(uow).open_caseload()


async def _last_assigned(uow: UnitOfWork) -> dict[str, float]:
    return await disputes_in(uow).last_assigned()


async def assign(uow: UnitOfWork, dispute: Dispute, ctx: Context) -> None:
    """Accepted -> assigned: round robin inside the body on duty, never a conflict."""
    at = ctx.now()
    disputes = disputes_in(uow)
    roster = await disputes.roster(ctx.roster_file)
    mediator = choose_mediator(
        roster,
        local_date(at),
        dispute.respondent_orgs,
        await disputes.open_caseload(),
        skill=dispute.dispute_type,
        exclude=dispute.objected_mediators,
        last_assigned=await disputes.last_assigned(),
    )
    dispute.assign(mediator, roster.body(mediator.body_id).name, at)
    await disputes.record_assignment(mediator.mediator_id, at)


async def _reassign(
    uow: UnitOfWork,
    dispute: Dispute,
    mediator: Mediator,
    roster: Roster,
    reason: str,
    actor: Actor,
    ctx: Context,
) -> None:
    dispute.reassign(mediator, roster.body(mediator.body_id).name, reason, actor, ctx.now())
    await disputes_in(uow).record_assignment(mediator.mediator_id, ctx.now())
    await settle(uow, dispute)


async def reassign_to(
    case_id: uuid.UUID, mediator_id: str, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The committee hands a carried dispute to a mediator of its choosing: an active one of
    the roster, not the one who has it, never one a party objected to or tied to a respondent."""
    if actor.role != "committee":
        raise NotAllowed(f"a {actor.role} may not reassign a dispute")
    dispute = await load_dispute(uow, case_id)
    check_reassignable(State(dispute.state))
    roster = await current_roster(uow, ctx)
    mediator = next(
        (m for m in roster.mediators if m.mediator_id == mediator_id and m.active), None
    )
    if mediator is None:
        raise Incomplete("mediator_id", "no active mediator of the roster has this id")
    if mediator_id == dispute.mediator_id:
        raise AgainstTheRules("this mediator already carries the dispute")
    if mediator_id in dispute.objected_mediators:
        raise AgainstTheRules("a party objected to this mediator")
    if set(dispute.respondent_orgs) & set(mediator.tied_to):
        raise AgainstTheRules("this mediator is tied to a respondent")
    await _reassign(uow, dispute, mediator, roster, reason, actor, ctx)
    await uow.commit()
    return dispute


def _check_party(dispute: Dispute, actor: Actor) -> None:
    ids = {dispute.complainant_id, *(str(r["party_id"]) for r in dispute.respondents)}
    if actor.role in ("complainant", "respondent") and actor.id not in ids:
        raise NotAllowed("only a party to this dispute may object to its mediator")
    if actor.role not in ("complainant", "respondent", "committee"):
        raise NotAllowed(f"a {actor.role} may not object to the mediator")


async def object_to_mediator(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """A party objects (PML 23): the mediator is replaced and never chosen again for it."""
    dispute = await load_dispute(uow, case_id)
    _check_party(dispute, actor)
    check_reassignable(State(dispute.state), "object to the mediator of")
    if dispute.mediator_id:
        dispute.objected_mediators = [*dispute.objected_mediators, dispute.mediator_id]
    roster = await current_roster(uow, ctx)
    mediator = choose_mediator(
        roster,
        local_date(ctx.now()),
        dispute.respondent_orgs,
        await open_caseload(uow),
        skill=dispute.dispute_type,
        exclude=dispute.objected_mediators,
        last_assigned=await _last_assigned(uow),
    )
    await _reassign(uow, dispute, mediator, roster, f"objection: {reason}", actor, ctx)
    await uow.commit()
    return dispute


async def flag_risk(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """A dispute that could escalate goes to the police member on duty (PML 25)."""
    if actor.role not in ("mediator", "committee", "intake_officer"):
        raise NotAllowed(f"a {actor.role} may not flag a risk")
    dispute = await load_dispute(uow, case_id)
    dispute.check_mediator(actor)
    check_reassignable(State(dispute.state), "flag a risk on")
    dispute.risk = True
    roster = await current_roster(uow, ctx)
    mediator = choose_police_mediator(
        roster,
        local_date(ctx.now()),
        dispute.respondent_orgs,
        await open_caseload(uow),
        exclude=dispute.objected_mediators,
    )
    if mediator.mediator_id == dispute.mediator_id:
        await settle(uow, dispute)
    else:
        await _reassign(uow, dispute, mediator, roster, f"risk: {reason}", actor, ctx)
    await uow.commit()
    return dispute
