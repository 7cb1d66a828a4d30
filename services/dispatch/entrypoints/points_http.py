"""A reporter's contribution points: the balance and the ledger behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from services.dispatch.entrypoints.schemas import PointsItem, PointsOut
from services.dispatch.service_layer.points import balance_of, history_of
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["points"], dependencies=AUTHENTICATED)

    @router.get(
        "/reporters/{reporter_id}/points",
        response_model=PointsOut,
        responses={403: {"description": "Another reporter's points"}},
    )
    async def points(
        reporter_id: Annotated[str, Path(min_length=1, max_length=64)],
        actor: ActorDep,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> PointsOut:
        """贡献积分 The reporter's balance and history, newest first (own points only)."""
        if not (actor.role == "reporter" and actor.id == reporter_id) and actor.role != "admin":
            raise HTTPException(403, "a reporter sees only their own points")
        async with runtime.sessions() as session:
            balance = await balance_of(session, reporter_id)
            entries = await history_of(session, reporter_id, limit)
        return PointsOut(
            reporter_id=reporter_id,
            balance=balance,
            history=[PointsItem.model_validate(e, from_attributes=True) for e in entries],
        )

    return router
