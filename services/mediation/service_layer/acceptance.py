"""The committee's acceptance decision: accept (and assign), reject; the respondent may decline."""

from __future__ import annotations

import uuid

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.clocks import ClockName, days_clock
from services.mediation.domain.errors import NotAllowed
from services.mediation.service_layer import groups
from services.mediation.service_layer.assignment import assign
from services.mediation.service_layer.clocks import start_clock, stop_clocks
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.outcomes import MEDIATION_CLOCKS
from services.mediation.service_layer.steps import announce, load, step
from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.mediation import (
    DisputeAccepted,
    DisputeRejected,
    DisputeRespondentDeclined,
)
from shared.messaging.uow import UnitOfWork


async def accept(
    uow: UnitOfWork, dispute: Dispute, actor: Actor, ctx: Context, cause: Envelope | None = None
) -> None:
    """Acceptance review -> accepted -> assigned, in one transaction."""
    now = ctx.now()
    step(uow, dispute, "accept", actor, now=now)
    dispute.accepted_at = now
    await stop_clocks(uow, dispute, (ClockName.ACCEPTANCE_TARGET,), now)
    if dispute.platform_worker:  # 2024 notice: 15 days from acceptance
        await start_clock(
            uow, dispute, days_clock(ClockName.MEDIATION_LIMIT, now, ctx.calendar), now
        )
    announce(uow, dispute, "dispute.accepted", DisputeAccepted(state=dispute.state), actor, cause)
    await assign(uow, dispute, ctx, cause)
    await groups.tell_members(uow, dispute, "accepted", actor, cause)


async def accept_dispute(
    case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await load(uow, case_id)
    await accept(uow, dispute, actor, ctx)
    await uow.commit()
    return dispute


async def reject_dispute(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The committee does not accept the dispute; the reason is recorded and announced."""
    dispute = await load(uow, case_id)
    now = ctx.now()
    step(uow, dispute, "reject", actor, now=now, note=reason)
    dispute.outcome = dispute.state
    await stop_clocks(uow, dispute, MEDIATION_CLOCKS, now)
    announce(
        uow, dispute, "dispute.rejected", DisputeRejected(state=dispute.state, reason=reason), actor
    )
    await uow.commit()
    return dispute


async def respondent_declines(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """PML 17: a party that clearly refuses means no mediation; the applicant is told."""
    dispute = await load(uow, case_id)
    if actor.role == "respondent" and actor.id not in {
        str(r["party_id"]) for r in dispute.respondents
    }:
        raise NotAllowed("only a respondent named in this dispute may decline it")
    now = ctx.now()
    step(uow, dispute, "respondent_decline", actor, now=now, note=reason)
    dispute.outcome = dispute.state
    await stop_clocks(uow, dispute, MEDIATION_CLOCKS, now)
    announce(
        uow,
        dispute,
        "dispute.respondent_declined",
        DisputeRespondentDeclined(state=dispute.state, reason=reason),
        actor,
    )
    await uow.commit()
    return dispute
