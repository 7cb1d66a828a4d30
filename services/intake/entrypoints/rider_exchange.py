"""The points exchange on the rider's page (积分兑换): its words, a refusal's reason in words,
and the order of the offers (his towns' stations first, then by town and station)."""

from __future__ import annotations

import re

from services.intake.adapters.exchange_access import Offer

# A reward id as dispatch keeps them; anything else is not sent on.
REWARD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A form's one-time key (the page writes 32 hex digits): the same key books once.
FORM_KEY = re.compile(r"^[0-9a-f]{16,64}$")

WORDS: dict[str, tuple[str, str]] = {
    "exchange": ("积分兑换", "Spend my points"),
    "exchange_hint": (
        "用贡献积分兑换驿站提供的服务。兑换后凭兑换凭证到驿站领取。",
        "Spend your points on what the stations offer; show the booking reference there.",
    ),
    "exchange_down": (
        "积分兑换暂时无法显示，请稍后再试",
        "The points exchange cannot be shown now; try again later",
    ),
    "exchange_none": ("目前没有可兑换的项目。", "Nothing is on offer now."),
    "cost": ("所需积分", "Cost"),
    "places_left": ("剩余名额", "Places left"),
    "valid_to": ("兑换截止", "Book by"),
    "affordable": ("积分足够", "You have enough points"),
    "short_by": ("积分不足，还差 {n} 分", "Not enough points: {n} short"),
    "sold_out": ("名额已满", "No places left"),
    "redeem": ("兑换", "Book"),
    "booked": (
        "兑换成功：“{name}”（{station}）。到驿站时请出示兑换凭证 {reference}。"
        "兑换后积分余额 {balance} 分。",
        "Booked: “{name}” ({station}). Show the reference {reference} at the station. "
        "Balance now {balance} points.",
    ),
    "bookings": ("我的兑换", "My bookings"),
    "reference": ("兑换凭证", "Reference"),
    "state_reserved": ("待领取", "To collect"),
    "state_handed_over": ("已领取", "Collected"),
    "booked_at": ("兑换时间", "Booked"),
    "refused_not_enough_points": ("积分不足，无法兑换", "Not enough points for this"),
    "refused_out_of_stock": ("名额已满，已被兑完", "All places are taken"),
    "refused_reward_expired": ("已过兑换期限", "This offer has ended"),
    "refused_reward_not_yet_valid": ("尚未开始兑换", "This offer has not started yet"),
    "refused_reward_withdrawn": ("该项目已下架", "This offer was withdrawn"),
    "refused_gone": ("该项目已不存在", "This offer no longer exists"),
    "refused_other": ("暂时无法兑换，请刷新页面后再试", "Cannot book now; reload and try again"),
}
REFUSALS = {k.removeprefix("refused_") for k in WORDS if k.startswith("refused_")}


def refusal_key(reason: str) -> str:
    """The word key for a refusal's reason code; an unknown code gets the general words."""
    return f"refused_{reason}" if reason in REFUSALS else "refused_other"


def ordered(offers: list[Offer], towns: set[str]) -> list[Offer]:
    """His towns' stations first, then by town, station and cost."""
    return sorted(
        offers, key=lambda o: (o.town not in towns, o.town_name, o.station_name, o.cost, o.name)
    )
