"""The coverage engine agrees with asking each report's stations one by one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np

from services.dispatch.adapters.coverage_engine import Reports, covered, uncovered_cells
from services.dispatch.adapters.district_file import load_district
from services.dispatch.adapters.station_index import Plane
from services.dispatch.domain.reach import haversine_m
from services.dispatch.domain.stations import StationDraft, check_station
from services.dispatch.service_layer.context import SHANGHAI
from shared.platform.calendar.source import load_calendar

DISTRICT = load_district()
CAL = load_calendar()
HOURS = [
    "每天 08:00-20:00",
    "每天 20:00-02:00；法定节假日休息",
    "周一至周五 09:00-17:00；法定节假日休息",
]


def _stations(rng: random.Random, n: int):
    return [
        check_station(
            f"c-{i}",
            StationDraft(
                name=f"覆盖测试{i}",
                kind="驿站",
                town="liantang",
                address=f"覆盖路{i}号",
                latitude=rng.uniform(31.0, 31.1),
                longitude=rng.uniform(121.0, 121.1),
                opening_hours=rng.choice(HOURS),
            ),
            DISTRICT,
        )
        for i in range(n)
    ]


def test_the_vectorised_coverage_matches_asking_every_station_for_every_report():
    rng = random.Random(11)
    stations = _stations(rng, 40)
    start = datetime(2026, 9, 25, tzinfo=UTC)  # National Day's holidays fall inside
    times = [start + timedelta(minutes=rng.randrange(0, 20 * 24 * 60)) for _ in range(400)]
    lat = np.array([rng.uniform(30.98, 31.12) for _ in times])
    lng = np.array([rng.uniform(120.98, 121.12) for _ in times])
    reports = Reports(
        lat=lat,
        lng=lng,
        filed_s=np.array([int(t.timestamp()) for t in times]),
        town=np.array(["liantang"] * len(times), dtype=object),
    )
    got = covered(reports, stations, Plane(*DISTRICT.centre), 1200, CAL.is_public_holiday)
    expected = [
        any(
            s.hours.is_open(t.astimezone(SHANGHAI), CAL.is_public_holiday)
            and haversine_m(a, b, s.latitude, s.longitude) <= 1200
            for s in stations
        )
        for a, b, t in zip(lat, lng, times, strict=True)
    ]
    # The plane's distances differ from great-circle ones by < 0.5%: allow reports on the rim.
    rim = [
        abs(min(haversine_m(a, b, s.latitude, s.longitude) for s in stations) - 1200) < 10
        for a, b in zip(lat, lng, strict=True)
    ]
    mismatched = [i for i in range(len(times)) if got[i] != expected[i] and not rim[i]]
    assert mismatched == []
    assert 0 < got.sum() < len(times)


def test_uncovered_reports_are_counted_in_their_h3_cells_with_those_at_night():
    night = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    reports = Reports(
        lat=np.array([31.01, 31.0101, 31.2]),
        lng=np.array([121.05, 121.0501, 121.2]),
        filed_s=np.array([int(night.timestamp())] * 3),
        town=np.array(["liantang", "liantang", "huaxin"], dtype=object),
    )
    cells = uncovered_cells(reports, np.array([False, False, True]), 8, 10)
    assert [(c.count, c.at_night) for c in cells] == [(2, 2)]
    assert len(cells[0].boundary) == 6
