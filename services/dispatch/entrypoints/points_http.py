"""A reporter's contribution points: the balance and the ledger behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from services.dispatch.entrypoints.dependencies import ActorDep, RuntimeDep
from services.dispatch.entrypoints.schemas import PointsItem, PointsOut
from services.dispatch.service_layer import views
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(prefix="/api/v1", tags=["points"], dependencies=AUTHENTICATED)


@router.get(
    "/reporters/{reporter_id}/points",
    response_model=PointsOut,
    responses={403: {"description": "Another reporter's points"}},
)
async def points(
    reporter_id: Annotated[str, Path(min_length=1, max_length=64)],
    actor: ActorDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PointsOut:
    """贡献积分 The reporter's balance and history, newest first (own points only)."""
    if not (actor.role == "reporter" and actor.id == reporter_id) and actor.role != "admin":
        raise HTTPException(403, "a reporter sees only their own points")
    async with runtime.sessions() as session:
        balance, entries = await views.points_of(session, reporter_id, limit)
    return PointsOut(
        reporter_id=reporter_id,
        balance=balance,
        history=[PointsItem.model_validate(e) for e in entries],
    )
