"""The points exchange's catalogue: an admin keeps it, everyone signed in reads it, a rider
redeems a reward of it (with an `Idempotency-Key`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response

from services.dispatch.domain.exchange import REWARD_ID, RewardDraft
from services.dispatch.entrypoints.changes import change
from services.dispatch.entrypoints.dependencies import ActorDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.exchange_schemas import (
    ERRORS,
    RedemptionOut,
    RewardIn,
    RewardOut,
    redemption_out,
)
from services.dispatch.service_layer import exchange, views
from shared.platform.auth.dependency import AUTHENTICATED

RewardId = Annotated[str, Path(min_length=1, max_length=64, pattern=REWARD_ID)]


def _admin(actor: ActorDep) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin keeps the rewards catalogue")


def _reward_out(row: Any) -> RewardOut:
    """The reward a use case wrote, read before its transaction ends."""
    return RewardOut.model_validate(row.model_dump())


router = APIRouter(prefix="/api/v1", tags=["points exchange"], dependencies=AUTHENTICATED)


@router.get("/rewards", response_model=list[RewardOut])
async def rewards(
    runtime: RuntimeDep,
    ctx: ContextDep,
    station_id: Annotated[str | None, Query(max_length=64)] = None,
    all: bool = False,
) -> list[RewardOut]:
    """积分兑换目录 The catalogue; by default only what can be redeemed today."""
    today = ctx.local_now().date()
    async with runtime.sessions() as session:
        rows = await views.rewards(session, station_id=station_id)
    return [
        RewardOut.model_validate(r)
        for r in rows
        if all or (r["active"] and r["valid_from"] <= today <= r["valid_to"])
    ]


@router.post(
    "/rewards",
    response_model=RewardOut,
    status_code=201,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def create_reward(body: RewardIn, runtime: RuntimeDep, ctx: ContextDep) -> RewardOut:
    """Add a reward to the catalogue (admin)."""
    draft = RewardDraft.model_validate(body.model_dump(exclude={"reward_id"}))
    return await change(
        runtime, lambda uow: exchange.create_reward(uow, body.reward_id, draft, ctx), _reward_out
    )


@router.put(
    "/rewards/{reward_id}",
    response_model=RewardOut,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def update_reward(
    reward_id: RewardId, body: RewardDraft, runtime: RuntimeDep, ctx: ContextDep
) -> RewardOut:
    """Change a reward: cost, stock, dates, withdraw it (admin)."""
    return await change(
        runtime, lambda uow: exchange.update_reward(uow, reward_id, body, ctx), _reward_out
    )


@router.post(
    "/rewards/{reward_id}/redeem",
    response_model=RedemptionOut,
    status_code=201,
    responses={**ERRORS, 200: {"description": "The same request again: the first answer"}},
)
async def redeem(
    reward_id: RewardId,
    actor: ActorDep,
    response: Response,
    runtime: RuntimeDep,
    ctx: ContextDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=100,
            description="required: one key per redemption the rider means; the same key "
            "again redeems nothing more",
        ),
    ] = None,
) -> RedemptionOut:
    """兑换 A rider redeems a reward with their own points (never below zero)."""
    if actor.role != "reporter":
        raise HTTPException(403, "only a rider redeems their own points")
    if idempotency_key is None or len(idempotency_key.strip()) < 8:
        raise HTTPException(
            422,
            {
                "field": "Idempotency-Key",
                "message": "请求须带 Idempotency-Key（至少 8 个字符），"
                "同一次兑换重复提交时保持不变",
            },
        )
    out, created = await change(
        runtime,
        lambda uow: exchange.redeem(uow, reward_id, actor.id, idempotency_key, ctx),
        lambda d: (redemption_out(d.redemption.model_dump(), d.reward_name, d.balance), d.created),
    )
    if not created:
        response.status_code = 200
    return out
