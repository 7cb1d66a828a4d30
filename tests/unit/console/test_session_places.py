"""Where a session can be held (J13): the officer's form passes the chosen station on, and the
nearest stations read as words (name, address, how far, when legal help is on duty)."""

from __future__ import annotations

from services.console.entrypoints.officer_pages import dispute_body
from services.console.entrypoints.session import Caller
from services.console.entrypoints.session_places import address_of, choice, point_of
from shared.contracts.envelope import Actor
from shared.platform.auth.tokens import Principal

WHO = Caller(Principal(Actor(role="intake_officer", id="officer-7"), "u", "n", 0), "tok", "zh")
KAYOU = {
    "station_id": "huaxin-kayou",
    "name": "华新镇卡友驿站",
    "town_name": "华新镇",
    "address": "华志路1号",
}


def test_the_chosen_station_goes_to_intake_and_none_chosen_sends_nothing():
    form = {"complainant.name": "周师傅", "respondents.0.name": "甲公司"}
    assert (
        dispute_body(form | {"preferred_station_id": "huaxin-kayou"}, WHO)["preferred_station_id"]
        == "huaxin-kayou"
    )
    assert dispute_body(form | {"preferred_station_id": ""}, WHO)["preferred_station_id"] is None


def test_a_point_needs_both_numbers_inside_the_globe():
    assert point_of({"latitude": "31.2385", "longitude": "121.2178"}) == (31.2385, 121.2178)
    assert point_of({"latitude": "31.2", "longitude": ""}) is None
    assert point_of({"latitude": "abc", "longitude": "121"}) is None
    assert point_of({"latitude": "95", "longitude": "121"}) is None
    assert point_of({}) is None


def test_the_town_is_not_written_twice():
    assert address_of(KAYOU) == "华新镇华志路1号"
    assert address_of(KAYOU | {"address": "华新镇（示意位置）"}) == "华新镇（示意位置）"


def test_a_nearest_answer_reads_as_words_in_each_language():
    found = {
        "station": KAYOU,
        "distance_m": 1080,
        "walk_minutes": 14,
        "ebike_minutes": 5,
        "legal_help_now": True,
        "next_duty": None,
    }
    zh = choice(found, "zh")
    assert zh["reach"] == "1.1 公里，步行约 14 分钟，电动车约 5 分钟"
    assert zh["duty"] == "现在有法律服务值班"
    later = found | {"legal_help_now": False, "next_duty": {"text": "12月10日（周四）09:00–17:00"}}
    assert choice(later, "zh")["duty"] == "下次值班：12月10日（周四）09:00–17:00"
    assert choice(later | {"next_duty": None}, "en")["duty"] == "No duty rostered soon"
    assert choice(found | {"distance_m": 420}, "en")["reach"].startswith("420 m, 14 min on foot")
