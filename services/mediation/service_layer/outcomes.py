"""Endings without agreement (failed, expired, withdrawn): stop the clocks, open the route."""

from __future__ import annotations

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.clocks import ClockName
from services.mediation.service_layer import groups
from services.mediation.service_layer.clocks import clock_due_on, stop_clocks
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import announce, step
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import MediationEnded
from shared.messaging.uow import UnitOfWork

MEDIATION_CLOCKS = (
    ClockName.ACCEPTANCE_TARGET,
    ClockName.MEDIATION_LIMIT,
    ClockName.MEDIATION_TARGET,
)


async def end_without_agreement(
    uow: UnitOfWork,
    dispute: Dispute,
    action: str,
    event_type: str,
    reason: str,
    actor: Actor,
    ctx: Context,
) -> None:
    """One checked step to failed / expired / withdrawn, with the arbitration route named."""
    now = ctx.now()
    step(uow, dispute, action, actor, now=now, note=reason)
    dispute.outcome = dispute.state
    await stop_clocks(uow, dispute, MEDIATION_CLOCKS, now)
    announce(
        uow,
        dispute,
        event_type,
        MediationEnded(
            state=dispute.state,
            reason=reason,
            arbitration_limitation_on=await clock_due_on(
                uow, dispute, ClockName.ARBITRATION_LIMITATION
            ),
        ),
        actor,
    )
    await groups.tell_members(uow, dispute, "ended", actor)
