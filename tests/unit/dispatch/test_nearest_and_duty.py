"""Distance, the nearest order, reach minutes, and duty seated at a station."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from services.dispatch.adapters.district_file import load_district
from services.dispatch.adapters.station_index import Plane, StationIndex
from services.dispatch.domain.duty import DutyShift, next_on_duty, on_duty_now, spells
from services.dispatch.domain.reach import Reach, haversine_m
from services.dispatch.domain.stations import StationDraft, check_station

DISTRICT = load_district()


def station(n: int, lat: float, lng: float, facilities: tuple[str, ...] = ("热水",)):
    draft = StationDraft(
        name=f"测试驿站{n}",
        kind="驿站",
        town="huaxin",
        address=f"测试路{n}号",
        latitude=lat,
        longitude=lng,
        opening_hours="每天 08:00-20:00",
        facilities=list(facilities),
    )
    return check_station(f"t-{n}", draft, DISTRICT)


def test_a_kilometre_and_a_tenth_is_fourteen_minutes_on_foot_and_five_by_e_bike():
    reach = Reach()
    assert (reach.walk_minutes(1100), reach.ebike_minutes(1100)) == (14, 5)
    assert reach.circle_metres("ebike") == 3750 and reach.circle_metres("walk") == 1200


def test_haversine_gives_a_degree_of_latitude_as_about_111_km():
    assert abs(haversine_m(31.0, 121.0, 32.0, 121.0) - 111_195) < 100


def test_the_index_answers_the_same_order_as_measuring_every_station():
    rng = random.Random(7)
    stations = [station(n, rng.uniform(31.0, 31.28), rng.uniform(120.9, 121.3)) for n in range(500)]
    index = StationIndex(stations, Plane(*DISTRICT.centre))
    here = (31.15, 121.1)
    got = [s.station_id for s, _ in index.nearest(*here, lambda _s: True, limit=10)]
    brute = sorted(stations, key=lambda s: haversine_m(*here, s.latitude, s.longitude))
    assert got == [s.station_id for s in brute[:10]]


def test_a_filter_skips_near_stations_that_fail_it_and_the_radius_grows_to_find_one():
    near = station(1, 31.2400, 121.2100)
    far = station(2, 31.2800, 121.2900, facilities=("法律服务",))
    index = StationIndex([near, far], Plane(*DISTRICT.centre))
    found = index.nearest(31.24, 121.21, lambda s: "legal_help" in s.facilities, limit=1)
    assert [s.station_id for s, _ in found] == ["t-2"]
    assert 8_000 < found[0][1] < 9_000


def test_a_closed_station_is_never_found():
    closed = station(3, 31.24, 121.21).model_copy(update={"status": "closed_for_good"})
    assert StationIndex([closed], Plane(*DISTRICT.centre)).nearest(31.24, 121.21, bool) == []


JUDICIAL = DutyShift(
    station_id="huaxin-kayou",
    body_id="huaxin-judicial",
    body_name="华新司法所",
    body_kind="judicial_office",
    starts_on=date(2026, 12, 1),
    ends_on=date(2026, 12, 31),
    weekdays=(2, 4),  # Tuesdays and Thursdays
    from_time=time(9),
    to_time=time(17),
)


def test_duty_on_tuesdays_and_thursdays_is_on_at_noon_thursday_and_next_on_tuesday():
    thursday_noon = datetime(2026, 12, 3, 12, 40)
    assert on_duty_now([JUDICIAL], thursday_noon)
    assert next_on_duty([JUDICIAL], thursday_noon).ends == datetime(2026, 12, 3, 17)  # type: ignore[union-attr]
    friday = datetime(2026, 12, 4, 10)
    assert not on_duty_now([JUDICIAL], friday)
    assert next_on_duty([JUDICIAL], friday).starts == datetime(2026, 12, 8, 9)  # type: ignore[union-attr]
    week = spells([JUDICIAL], date(2026, 12, 4), 7)
    assert [s.starts.date() for s in week] == [date(2026, 12, 8), date(2026, 12, 10)]
    assert week[0].body_kind == "司法所"


def test_duty_ends_with_its_run_of_days():
    assert next_on_duty([JUDICIAL], datetime(2026, 12, 31, 18)) is None


def test_the_scan_of_a_small_register_and_the_tree_of_a_large_one_find_the_same_stations(
    monkeypatch,
):
    """Up to SCAN_UP_TO stations the index scans one vector of distances, beyond it asks the
    tree: both give the same stations in the same order, under the same filter."""
    from services.dispatch.adapters import station_index
    from services.dispatch.entrypoints.station_bench import synthetic_stations

    stations = synthetic_stations(600, seed=11)
    plane = Plane(*DISTRICT.centre)
    index = StationIndex(stations, plane)
    rng = random.Random(5)
    wanted = [
        (s.latitude + rng.uniform(-0.01, 0.01), s.longitude) for s in rng.sample(stations, 60)
    ]

    def accept(s) -> bool:
        return "hot_water" in s.facilities

    scanned = [index.nearest(lat, lng, accept, limit=3) for lat, lng in wanted]
    monkeypatch.setattr(station_index, "SCAN_UP_TO", 0)  # the same index, asked through its tree
    queried = [index.nearest(lat, lng, accept, limit=3) for lat, lng in wanted]
    assert scanned == queried
    assert all(len(found) == 3 for found in scanned)
