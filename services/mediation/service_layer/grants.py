"""Reading grants: the committee lets a mediator read a dispute not assigned to them.

A grant opens the dispute's record (GET /api/v1/disputes/{case_id}) to that mediator, nothing
more: only the assigned mediator acts on the case. The grant is kept by the dispute
repository; each grant and revocation is on the dispute's history (`Dispute.grant_access`).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import DisputeGrant
from services.mediation.domain.dispute import Dispute
from services.mediation.domain.dispute_access import check_grantor
from services.mediation.domain.errors import Incomplete, NotFound
from services.mediation.service_layer.assignment import current_roster
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


async def grant(
    case_id: uuid.UUID, mediator_id: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> dict[str, Any]:
    """Let a mediator of the roster read this dispute (granting twice changes nothing)."""
    check_grantor(actor)
    dispute = await load_dispute(uow, case_id)
    roster = await current_roster(uow, ctx)
    if mediator_id not in {m.mediator_id for m in roster.mediators}:
        raise Incomplete("mediator_id", "not a mediator on the roster")
    disputes = disputes_in(uow)
    granted = await disputes.reading_grant(case_id, mediator_id)
    if granted is None:
        granted = dispute.grant_access(mediator_id, actor, ctx.now())
        await disputes.add_grant(granted)
        await settle(uow, dispute)
    await uow.commit()
    return asdict(granted)


async def revoke(
    case_id: uuid.UUID, mediator_id: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """Withdraw a mediator's grant; 404 when there is none."""
    check_grantor(actor)
    dispute = await load_dispute(uow, case_id)
    disputes = disputes_in(uow)
    existing = await disputes.reading_grant(case_id, mediator_id)
    if existing is None:
        raise NotFound(f"no grant of {case_id} to {mediator_id}")
    await disputes.remove_grant(existing)
    dispute.revoke_access(mediator_id, actor, ctx.now())
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def is_granted(session: AsyncSession, case_id: uuid.UUID, mediator_id: str) -> bool:
    found = await session.exec(
        select(DisputeGrant.mediator_id).where(
            DisputeGrant.case_id == case_id, DisputeGrant.mediator_id == mediator_id
        )
    )
    return found.first() is not None
