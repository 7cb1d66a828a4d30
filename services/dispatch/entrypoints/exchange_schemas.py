"""The points exchange's bodies: a reward of the catalogue, a rider's redemption."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from services.dispatch.domain.exchange import REWARD_ID, RewardDraft

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


def redemption_out(
    fields: Mapping[str, Any], name: str, balance: int | None = None
) -> RedemptionOut:
    """A redemption's fields (a dict) with its reward's name, and the balance left after it."""
    return RedemptionOut(
        redemption_id=fields["redemption_id"],
        reporter_id=fields["reporter_id"],
        reward_id=fields["reward_id"],
        reward_name=name,
        station_id=fields["station_id"],
        cost=fields["cost"],
        state=fields["state"],
        redeemed_at=fields["redeemed_at"],
        handed_over_at=fields["handed_over_at"],
        balance=balance,
    )
