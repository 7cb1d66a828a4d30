"""The points exchange's and the compound register's pure rules (#20)."""

from __future__ import annotations

from datetime import date

import pytest

from services.dispatch.domain.compounds import CompoundDraft, Place, match
from services.dispatch.domain.errors import InvalidEntry, Refused
from services.dispatch.domain.exchange import RewardDraft, check_redeemable

TODAY = date(2026, 12, 6)
OPEN = {"active": True, "valid_from": date(2026, 12, 1), "valid_to": date(2027, 3, 31)}


def test_a_redemption_never_takes_the_balance_below_zero_nor_an_empty_stock():
    check_redeemable(**OPEN, stock=1, cost=40, balance=40, today=TODAY)  # exactly enough
    with pytest.raises(Refused) as poor:
        check_redeemable(**OPEN, stock=1, cost=40, balance=39, today=TODAY)
    assert poor.value.reason == "not_enough_points"
    with pytest.raises(Refused) as gone:
        check_redeemable(**OPEN, stock=0, cost=40, balance=400, today=TODAY)
    assert gone.value.reason == "out_of_stock"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"active": False}, "reward_withdrawn"),
        ({"valid_from": date(2026, 12, 7)}, "reward_not_yet_valid"),
        ({"valid_to": date(2026, 12, 5)}, "reward_expired"),
    ],
)
def test_a_withdrawn_or_out_of_date_reward_is_refused(change: dict[str, object], reason: str):
    with pytest.raises(Refused) as refused:
        check_redeemable(**(OPEN | change), stock=5, cost=1, balance=10, today=TODAY)  # type: ignore[arg-type]
    assert refused.value.reason == reason


def test_a_reward_ending_before_it_starts_names_its_field():
    draft = RewardDraft(
        name="急救培训课程",
        cost=150,
        stock=20,
        station_id="zhaoxiang-xiangxin",
        valid_from=date(2027, 1, 1),
        valid_to=date(2026, 12, 1),
    )
    with pytest.raises(InvalidEntry) as bad:
        draft.check()
    assert bad.value.field == "valid_to"


PLACES = [
    Place(compound_id="a", names=("演示·徐泾明珠苑", "明珠苑"), latitude=31.183, longitude=121.274),
    Place(
        compound_id="b", names=("演示·徐泾西郊花园", "西郊花园"), latitude=31.175, longitude=121.276
    ),
]


def test_a_report_names_its_compound_wherever_it_was_filed_else_the_nearest_within_500_m():
    # named, 1.3 km away (beyond any duplicate radius): still that compound
    assert match(PLACES, "明珠苑 北门 不让骑手进", 31.19, 121.28)[:2] == (PLACES[0], "name")
    # not named: the nearest gate within 500 m
    found = match(PLACES, "小区门口保安拦人", 31.1752, 121.2762)
    assert found is not None and found[:2] == (PLACES[1], "location") and found[2] < 50
    # neither named nor near: no compound
    assert match(PLACES, "小区门口保安拦人", 31.10, 121.10) is None


def test_adoption_needs_its_date_and_only_then():
    base = {
        "name": "演示·徐泾明珠苑",
        "town": "xujing",
        "latitude": 31.183,
        "longitude": 121.274,
        "property_office_id": "xujing-property",
        "residents_committee_id": "xujing-rc-06",
    }
    with pytest.raises(InvalidEntry) as missing:
        CompoundDraft.model_validate(base | {"rules_adopted": True}).check()
    assert missing.value.field == "adopted_on"
    with pytest.raises(InvalidEntry) as lead:
        CompoundDraft.model_validate(base | {"lead": "police"}).check()
    assert lead.value.field == "lead"
    CompoundDraft.model_validate(base | {"rules_adopted": True, "adopted_on": "2026-12-01"}).check()
