"""The points exchange: an admin keeps the catalogue; a rider redeems with their balance
(never below zero, once per request key); the provider station confirms the hand-over.

Concurrency: a redemption first locks the rider's wallet row (so two redemptions of one rider
never spend one balance twice, and a repeated request key finds the first one), then takes a
unit of stock with a conditional UPDATE (`stock > 0`), so of two riders racing for the last
unit exactly one wins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from services.dispatch.adapters.tables import (
    Hazard,
    PointsEntry,
    PointsWallet,
    Redemption,
    RewardEntry,
    StationEntry,
)
from services.dispatch.domain.errors import InvalidEntry, NotAllowed, NotFound, Refused
from services.dispatch.domain.exchange import (
    REDEEMED,
    RewardDraft,
    check_redeemable,
    staff_of,
)
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.points import balance_of
from services.dispatch.service_layer.steps import PRODUCER
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.dispatch import PointsRedeemed, RewardHandedOver
from shared.messaging.uow import UnitOfWork
from shared.platform.db import conflict_insert


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    reward_name: str
    balance: int
    created: bool


async def _station(uow: UnitOfWork, station_id: str) -> StationEntry:
    station = await uow.session.get(StationEntry, station_id)
    if station is None or station.status != "open":
        raise InvalidEntry("station_id", f"没有开放中的驿站“{station_id}”")
    return station


async def create_reward(
    uow: UnitOfWork, reward_id: str | None, draft: RewardDraft, ctx: Context
) -> RewardEntry:
    draft.check()
    await _station(uow, draft.station_id)
    ident = reward_id or f"rw-{uuid.uuid4().hex[:10]}"
    if await uow.session.get(RewardEntry, ident) is not None:
        raise Refused("reward_exists", f"奖励编号“{ident}”已存在")
    row = RewardEntry(reward_id=ident, **draft.model_dump(), created_at=ctx.clock.now())
    row.updated_at = row.created_at
    uow.session.add(row)
    return row


async def update_reward(
    uow: UnitOfWork, reward_id: str, draft: RewardDraft, ctx: Context
) -> RewardEntry:
    draft.check()
    await _station(uow, draft.station_id)
    stmt = select(RewardEntry).where(RewardEntry.reward_id == reward_id).with_for_update()
    row = (await uow.session.exec(stmt)).first()
    if row is None:
        raise NotFound(f"reward {reward_id}")
    for key, value in draft.model_dump().items():
        setattr(row, key, value)
    row.updated_at = ctx.clock.now()
    uow.session.add(row)
    return row


async def _lock_wallet(uow: UnitOfWork, reporter_id: str) -> None:
    dialect = uow.session.get_bind().dialect.name
    insert = conflict_insert(dialect)(PointsWallet).values(reporter_id=reporter_id, spends=0)
    await uow.session.execute(insert.on_conflict_do_nothing(index_elements=["reporter_id"]))
    await uow.session.execute(
        sa.update(PointsWallet)
        .where(col(PointsWallet.reporter_id) == reporter_id)
        .values(spends=col(PointsWallet.spends) + 1)
    )


async def _case_of(uow: UnitOfWork, reporter_id: str, fallback: uuid.UUID) -> uuid.UUID:
    """The rider's latest report: the case where notify and intake know them."""
    stmt = (
        select(Hazard.case_id)
        .where(Hazard.reporter_id == reporter_id)
        .order_by(col(Hazard.filed_at).desc())
        .limit(1)
    )
    return (await uow.session.exec(stmt)).first() or fallback


async def redeem(
    uow: UnitOfWork, reward_id: str, reporter_id: str, request_key: str, ctx: Context
) -> Redeemed:
    """Redeem once per (rider, request key): a repeated key answers the first redemption."""
    await _lock_wallet(uow, reporter_id)
    earlier = (
        await uow.session.exec(
            select(Redemption).where(
                Redemption.reporter_id == reporter_id, Redemption.request_key == request_key
            )
        )
    ).first()
    if earlier is not None:
        if earlier.reward_id != reward_id:
            raise Refused("request_key_reused", "该请求编号已用于兑换另一项奖励")
        reward = await uow.session.get(RewardEntry, reward_id)
        balance = await balance_of(uow.session, reporter_id)
        return Redeemed(earlier, reward.name if reward else reward_id, balance, created=False)
    reward = await uow.session.get(RewardEntry, reward_id)
    if reward is None:
        raise NotFound(f"reward {reward_id}")
    balance = await balance_of(uow.session, reporter_id)
    check_redeemable(
        active=reward.active,
        valid_from=reward.valid_from,
        valid_to=reward.valid_to,
        stock=reward.stock,
        cost=reward.cost,
        balance=balance,
        today=ctx.local_now().date(),
    )
    now = ctx.clock.now()
    taken = await uow.session.execute(
        sa.update(RewardEntry)
        .where(col(RewardEntry.reward_id) == reward_id, col(RewardEntry.stock) > 0)
        .values(stock=col(RewardEntry.stock) - 1, updated_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Refused("out_of_stock", "该奖励已兑完")
    redemption = Redemption(
        reporter_id=reporter_id,
        request_key=request_key,
        reward_id=reward_id,
        station_id=reward.station_id,
        cost=reward.cost,
        redeemed_at=now,
    )
    uow.session.add(redemption)
    uow.session.add(
        PointsEntry(
            reporter_id=reporter_id,
            case_id=redemption.redemption_id,
            reason=REDEEMED,
            points=-reward.cost,
            category="reward",
            at=now,
        )
    )
    station = await uow.session.get(StationEntry, reward.station_id)
    balance -= reward.cost
    uow.emit(
        new_event(
            "points.redeemed",
            PointsRedeemed(
                reporter_id=reporter_id,
                redemption_id=redemption.redemption_id,
                reward_id=reward_id,
                reward_name=reward.name,
                station_id=reward.station_id,
                station_name=station.name if station else "",
                station_address=station.address if station else "",
                points=reward.cost,
                balance=balance,
            ),
            case_id=await _case_of(uow, reporter_id, redemption.redemption_id),
            actor=Actor(role="reporter", id=reporter_id),
            producer=PRODUCER,
        )
    )
    return Redeemed(redemption, reward.name, balance, created=True)


async def hand_over(
    uow: UnitOfWork, redemption_id: uuid.UUID, actor: Actor, ctx: Context
) -> tuple[Redemption, str]:
    """The provider confirms the hand-over; confirming again changes nothing."""
    stmt = select(Redemption).where(Redemption.redemption_id == redemption_id).with_for_update()
    redemption = (await uow.session.exec(stmt)).first()
    if redemption is None:
        raise NotFound(f"redemption {redemption_id}")
    if actor.role != "intake_officer" or not staff_of(actor.id, redemption.station_id):
        raise NotAllowed("only the provider station's own staff confirm a hand-over")
    reward = await uow.session.get(RewardEntry, redemption.reward_id)
    name = reward.name if reward else redemption.reward_id
    if redemption.state == "handed_over":
        return redemption, name
    redemption.state = "handed_over"
    redemption.handed_over_at = ctx.clock.now()
    redemption.handed_over_by = actor.id[:64]
    uow.session.add(redemption)
    station = await uow.session.get(StationEntry, redemption.station_id)
    uow.emit(
        new_event(
            "reward.handed_over",
            RewardHandedOver(
                reporter_id=redemption.reporter_id,
                redemption_id=redemption.redemption_id,
                reward_id=redemption.reward_id,
                reward_name=name,
                station_id=redemption.station_id,
                station_name=station.name if station else "",
            ),
            case_id=await _case_of(uow, redemption.reporter_id, redemption.redemption_id),
            actor=actor,
            producer=PRODUCER,
        )
    )
    return redemption, name
