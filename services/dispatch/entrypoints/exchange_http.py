"""The points exchange's API: the catalogue (an admin keeps it, everyone signed in reads it),
a rider's redemption (with an `Idempotency-Key`), the provider's hand-over."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field

from services.dispatch.domain.errors import DispatchError
from services.dispatch.domain.exchange import REWARD_ID, RewardDraft
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.service_layer import exchange
from services.dispatch.service_layer.context import Context
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
RewardId = Annotated[str, Path(min_length=1, max_length=64, pattern=REWARD_ID)]
# who reads redemptions by station; only the provider station's own staff confirm a hand-over
STAFF = frozenset({"admin", "intake_officer"})
T = TypeVar("T")
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not this caller's to do"},
    404: {"description": "No such reward or redemption"},
    409: {"description": "Refused now: out of stock, not enough points, expired (reason code)"},
    422: {"description": "A bad field (the body names it, in Chinese)"},
}


class RewardIn(RewardDraft):
    reward_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=REWARD_ID)


class RewardOut(BaseModel):
    reward_id: str
    name: str
    description: str
    cost: int
    stock: int
    station_id: str
    valid_from: date
    valid_to: date
    active: bool


class RedemptionOut(BaseModel):
    redemption_id: uuid.UUID
    reporter_id: str
    reward_id: str
    reward_name: str
    station_id: str
    cost: int
    state: str
    redeemed_at: datetime
    handed_over_at: datetime | None
    balance: int | None = None


def _out(row: Any, name: str, balance: int | None = None) -> RedemptionOut:
    return RedemptionOut(
        redemption_id=row.redemption_id,
        reporter_id=row.reporter_id,
        reward_id=row.reward_id,
        reward_name=name,
        station_id=row.station_id,
        cost=row.cost,
        state=row.state,
        redeemed_at=row.redeemed_at,
        handed_over_at=row.handed_over_at,
        balance=balance,
    )


def _reward_out(row: Any) -> RewardOut:
    return RewardOut.model_validate(row, from_attributes=True)


def _admin(actor: ActorDep) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin keeps the rewards catalogue")


def build_router(runtime: ServiceRuntime, ctx: Context) -> APIRouter:
    router = APIRouter(tags=["points exchange"], dependencies=AUTHENTICATED)

    async def change(fn: Callable[[UnitOfWork], Awaitable[Any]], conv: Callable[[Any], T]) -> T:
        """Run `fn` in one transaction; `conv` reads its result before the commit."""
        try:
            async with runtime.uow() as uow:
                result = conv(await fn(uow))
                await uow.commit()
        except DispatchError as exc:
            raise http_error(exc) from exc
        return result

    @router.get("/rewards", response_model=list[RewardOut])
    async def rewards(
        station_id: Annotated[str | None, Query(max_length=64)] = None,
        all: bool = False,
    ) -> list[RewardOut]:
        """积分兑换目录 The catalogue; by default only what can be redeemed today."""
        today = ctx.local_now().date()
        async with runtime.sessions() as session:
            rows = await exchange.list_rewards(session, station_id=station_id)
            return [
                _reward_out(r)
                for r in rows
                if all or (r.active and r.valid_from <= today <= r.valid_to)
            ]

    @router.post(
        "/rewards",
        response_model=RewardOut,
        status_code=201,
        responses=ERRORS,
        dependencies=[Depends(_admin)],
    )
    async def create_reward(body: RewardIn) -> RewardOut:
        """Add a reward to the catalogue (admin)."""
        draft = RewardDraft.model_validate(body.model_dump(exclude={"reward_id"}))
        return await change(
            lambda uow: exchange.create_reward(uow, body.reward_id, draft, ctx), _reward_out
        )

    @router.put(
        "/rewards/{reward_id}",
        response_model=RewardOut,
        responses=ERRORS,
        dependencies=[Depends(_admin)],
    )
    async def update_reward(reward_id: RewardId, body: RewardDraft) -> RewardOut:
        """Change a reward: cost, stock, dates, withdraw it (admin)."""
        return await change(
            lambda uow: exchange.update_reward(uow, reward_id, body, ctx), _reward_out
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
            lambda uow: exchange.redeem(uow, reward_id, actor.id, idempotency_key, ctx),
            lambda d: (_out(d.redemption, d.reward_name, d.balance), d.created),
        )
        if not created:
            response.status_code = 200
        return out

    @router.get("/redemptions", response_model=list[RedemptionOut], responses=ERRORS)
    async def redemptions(
        actor: ActorDep,
        reporter_id: Annotated[str | None, Query(max_length=64)] = None,
        station_id: Annotated[str | None, Query(max_length=64)] = None,
    ) -> list[RedemptionOut]:
        """A rider's own redemptions; a station's staff and the admin see them by station."""
        if actor.role == "reporter":
            reporter_id = actor.id
        elif actor.role not in STAFF:
            raise HTTPException(403, f"a {actor.role} may not read redemptions")
        async with runtime.sessions() as session:
            rows = await exchange.redemptions_of(
                session, reporter_id=reporter_id, station_id=station_id
            )
            return [_out(r, n) for r, n in rows]

    @router.post(
        "/redemptions/{redemption_id}/handover", response_model=RedemptionOut, responses=ERRORS
    )
    async def hand_over(redemption_id: uuid.UUID, actor: ActorDep) -> RedemptionOut:
        """核销 The provider station's staff confirm the hand-over (again: no change)."""
        if actor.role != "intake_officer":
            raise HTTPException(403, "only the provider station's own staff confirm a hand-over")
        return await change(
            lambda uow: exchange.hand_over(uow, redemption_id, actor, ctx),
            lambda pair: _out(*pair),
        )

    return router
