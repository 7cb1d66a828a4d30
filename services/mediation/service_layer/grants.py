"""Reading grants: the committee lets a mediator read a dispute not assigned to them.

A grant opens the dispute's record (GET /api/v1/disputes/{case_id}) to that mediator, nothing
more: only the assigned mediator acts on the case. Each grant and revocation is a history row.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import Dispute, DisputeGrant
from services.mediation.domain.errors import Incomplete, NotAllowed, NotFound
from services.mediation.service_layer.assignment import current_roster
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import load, record
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork

GRANTORS = frozenset({"committee"})


def _check(actor: Actor) -> None:
    if actor.role not in GRANTORS:
        raise NotAllowed(f"a {actor.role} may not grant access to a dispute")


async def grant(
    case_id: uuid.UUID, mediator_id: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> dict[str, Any]:
    """Let a mediator of the roster read this dispute (granting twice changes nothing)."""
    _check(actor)
    dispute = await load(uow, case_id)
    roster = await current_roster(uow, ctx)
    if mediator_id not in {m.mediator_id for m in roster.mediators}:
        raise Incomplete("mediator_id", "not a mediator on the roster")
    row = await uow.session.get(DisputeGrant, (case_id, mediator_id))
    if row is None:
        row = DisputeGrant(
            case_id=case_id, mediator_id=mediator_id, granted_by=actor.id, granted_at=ctx.now()
        )
        uow.session.add(row)
        record(uow, dispute, "grant_access", actor, now=ctx.now(), note=mediator_id)
    granted = row.model_dump()
    await uow.commit()
    return granted


async def revoke(
    case_id: uuid.UUID, mediator_id: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """Withdraw a mediator's grant; 404 when there is none."""
    _check(actor)
    dispute = await load(uow, case_id)
    existing = await uow.session.get(DisputeGrant, (case_id, mediator_id))
    if existing is None:
        raise NotFound(f"no grant of {case_id} to {mediator_id}")
    await uow.session.delete(existing)
    record(uow, dispute, "revoke_access", actor, now=ctx.now(), note=mediator_id)
    await uow.commit()
    return dispute


async def is_granted(session: AsyncSession, case_id: uuid.UUID, mediator_id: str) -> bool:
    found = await session.exec(
        select(DisputeGrant.mediator_id).where(
            DisputeGrant.case_id == case_id, DisputeGrant.mediator_id == mediator_id
        )
    )
    return found.first() is not None
