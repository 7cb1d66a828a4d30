"""The committee's acceptance decision: accept (and assign), reject; the respondent may decline."""

from __future__ import annotations

import uuid

from services.mediation.domain.dispute import Dispute
from services.mediation.service_layer import groups
from services.mediation.service_layer.assignment import assign
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import Actor, Envelope
from shared.messaging.uow import UnitOfWork


async def accept(
    uow: UnitOfWork, dispute: Dispute, actor: Actor, ctx: Context, cause: Envelope | None = None
) -> None:
    """Acceptance review -> accepted -> assigned, in one transaction."""
    dispute.accept(actor, ctx.now(), ctx.calendar)
    await assign(uow, dispute, ctx)
    await settle(uow, dispute, cause)
    await groups.tell_members(uow, dispute, "accepted", actor, cause)


async def accept_dispute(
    case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await load_dispute(uow, case_id)
    await accept(uow, dispute, actor, ctx)
    await uow.commit()
    return dispute


async def reject_dispute(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The committee does not accept the dispute; the reason is recorded and announced."""
    dispute = await load_dispute(uow, case_id)
    dispute.reject(reason, actor, ctx.now())
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def respondent_declines(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """PML 17: a party that clearly refuses means no mediation; the applicant is told."""
    dispute = await load_dispute(uow, case_id)
    dispute.respondent_decline(reason, actor, ctx.now())
    await settle(uow, dispute)
    await uow.commit()
    return dispute
