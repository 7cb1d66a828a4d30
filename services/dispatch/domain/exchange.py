"""The points exchange (贡献换资源): which rewards a rider may redeem, and what a reward is.

Pure rules, no storage: the service layer locks and counts."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from services.dispatch.domain.errors import InvalidEntry, Refused

REWARD_ID = r"^[a-z0-9][a-z0-9_-]*$"
REDEEMED = "redeemed"  # the ledger's reason for a spending


class RewardDraft(BaseModel):
    """A reward as an admin gives it."""

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=500)
    cost: int = Field(ge=1, le=100_000)
    stock: int = Field(ge=0, le=100_000)
    station_id: str = Field(min_length=1, max_length=64)
    valid_from: date
    valid_to: date
    active: bool = True

    def check(self) -> None:
        if self.valid_to < self.valid_from:
            raise InvalidEntry("valid_to", "截止日期早于开始日期")


def check_redeemable(
    *,
    active: bool,
    valid_from: date,
    valid_to: date,
    stock: int,
    cost: int,
    balance: int,
    today: date,
) -> None:
    """Refuse a redemption the reward or the balance does not allow (never below zero)."""
    if not active:
        raise Refused("reward_withdrawn", "该奖励已下架")
    if today < valid_from:
        raise Refused("reward_not_yet_valid", f"该奖励自 {valid_from.isoformat()} 起可兑换")
    if today > valid_to:
        raise Refused("reward_expired", f"该奖励已于 {valid_to.isoformat()} 截止兑换")
    if stock <= 0:
        raise Refused("out_of_stock", "该奖励已兑完")
    if balance < cost:
        raise Refused("not_enough_points", f"积分不足：需要 {cost} 分，当前 {balance} 分")


def staff_of(actor_id: str, station_id: str) -> bool:
    """Whether an intake officer works at the station: a station's staff sign in under an actor
    id made of the station's id, a slash and their own name (``zhaoxiang-xiangxin/li``), so the
    station a hand-over belongs to decides who may confirm it."""
    station, slash, person = actor_id.partition("/")
    return bool(slash) and station == station_id and bool(person.strip())
