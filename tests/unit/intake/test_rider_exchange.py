"""The points exchange on the rider's page: each refusal of dispatch in words, his towns first."""

from __future__ import annotations

from datetime import date

import pytest

from services.intake.adapters.exchange_access import Offer
from services.intake.entrypoints.rider_exchange import FORM_KEY, REWARD_ID, ordered, refusal_key
from services.intake.entrypoints.rider_pages import word


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("not_enough_points", "积分不足，无法兑换"),
        ("out_of_stock", "名额已满，已被兑完"),
        ("reward_expired", "已过兑换期限"),
        ("reward_not_yet_valid", "尚未开始兑换"),
        ("reward_withdrawn", "该项目已下架"),
        ("gone", "该项目已不存在"),
        ("request_key_reused", "暂时无法兑换，请刷新页面后再试"),
        ("", "暂时无法兑换，请刷新页面后再试"),
    ],
)
def test_each_refusal_of_dispatch_is_said_in_chinese(reason: str, words: str):
    assert word(refusal_key(reason), "zh-CN") == words


def _offer(reward_id: str, town: str, town_name: str, station: str, cost: int) -> Offer:
    return Offer(
        reward_id=reward_id,
        name=reward_id,
        cost=cost,
        stock=1,
        station_id=station,
        valid_to=date(2027, 1, 1),
        station_name=station,
        town=town,
        town_name=town_name,
    )


def test_the_stations_of_his_towns_come_first_then_by_town_station_and_cost():
    offers = [
        _offer("a", "huaxin", "华新镇", "卡友驿站", 10),
        _offer("b", "zhaoxiang", "赵巷镇", "巷新驿站", 150),
        _offer("c", "zhaoxiang", "赵巷镇", "巷新驿站", 40),
        _offer("d", "baihe", "白鹤镇", "白鹤驿站", 5),
    ]
    assert [o.reward_id for o in ordered(offers, {"zhaoxiang"})] == ["c", "b", "a", "d"]


def test_only_a_reward_id_and_a_form_key_as_the_page_writes_them_are_sent_on():
    assert REWARD_ID.match("first-aid-1a2b") and not REWARD_ID.match("../rewards")
    assert FORM_KEY.match("0123456789abcdef0123456789abcdef") and not FORM_KEY.match("x")
