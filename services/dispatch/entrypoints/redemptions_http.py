"""The points exchange's redemptions: a rider reads their own, a station's staff and the admin
read them by station, the provider station's staff confirm the hand-over."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from services.dispatch.entrypoints.changes import change
from services.dispatch.entrypoints.dependencies import ActorDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.exchange_schemas import ERRORS, RedemptionOut, redemption_out
from services.dispatch.service_layer import exchange, views
from shared.platform.auth.dependency import AUTHENTICATED

# who reads redemptions by station; only the provider station's own staff confirm a hand-over
STAFF = frozenset({"admin", "intake_officer"})

router = APIRouter(prefix="/api/v1", tags=["points exchange"], dependencies=AUTHENTICATED)


@router.get("/redemptions", response_model=list[RedemptionOut], responses=ERRORS)
async def redemptions(
    actor: ActorDep,
    runtime: RuntimeDep,
    reporter_id: Annotated[str | None, Query(max_length=64)] = None,
    station_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[RedemptionOut]:
    """A rider's own redemptions; a station's staff and the admin see them by station."""
    if actor.role == "reporter":
        reporter_id = actor.id
    elif actor.role not in STAFF:
        raise HTTPException(403, f"a {actor.role} may not read redemptions")
    async with runtime.sessions() as session:
        rows = await views.redemptions(session, reporter_id=reporter_id, station_id=station_id)
    return [redemption_out(r, n) for r, n in rows]


@router.post(
    "/redemptions/{redemption_id}/handover", response_model=RedemptionOut, responses=ERRORS
)
async def hand_over(
    redemption_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> RedemptionOut:
    """核销 The provider station's staff confirm the hand-over (again: no change)."""
    if actor.role != "intake_officer":
        raise HTTPException(403, "only the provider station's own staff confirm a hand-over")
    return await change(
        runtime,
        lambda uow: exchange.hand_over(uow, redemption_id, actor, ctx),
        lambda pair: redemption_out(pair[0].model_dump(), pair[1]),
    )
