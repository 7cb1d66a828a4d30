"""The admin's hours form (J13): the station as dispatch has it, only its hours changed."""

from __future__ import annotations

from services.console.entrypoints.station_pages import with_hours


def test_only_the_hours_change():
    station = {
        "station_id": "liantang-road",
        "name": "练塘镇路边驿站",
        "kind": "station",
        "kind_name": "驿站",
        "town": "liantang",
        "town_name": "练塘镇",
        "address": "练塘镇某路1号",
        "latitude": 30.963,
        "longitude": 121.202,
        "opening_hours": "周四 09:00-17:00",
        "hours_text": "周四 09:00–17:00",
        "facilities": ["hot_water"],
        "facility_names": ["热水"],
        "contact": "",
        "status": "open",
        "generated": False,
    }
    assert with_hours(station, " 24小时 ") == {
        "name": "练塘镇路边驿站",
        "kind": "station",
        "town": "liantang",
        "address": "练塘镇某路1号",
        "latitude": 30.963,
        "longitude": 121.202,
        "facilities": ["hot_water"],
        "contact": "",
        "generated": False,
        "opening_hours": "24小时",
    }
