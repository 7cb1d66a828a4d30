"""The station figures (issue #25): the nearest query at p95 with many stations in the index,
and the coverage of many reports, each beside a raw figure of the same run (brute force)."""

from __future__ import annotations

import time
from datetime import datetime
from functools import cache

import numpy as np
import shapely
from shapely import STRtree
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.coverage_engine import Reports, covered, uncovered_cells
from services.dispatch.adapters.district_file import load_district
from services.dispatch.adapters.station_file import load_station_rows
from services.dispatch.adapters.station_index import Plane, StationIndex
from services.dispatch.domain.opening_hours import OpeningHours, parse_opening_hours
from services.dispatch.domain.stations import FACILITIES, Station
from services.dispatch.service_layer.context import SHANGHAI, Context
from services.dispatch.service_layer.nearest import Register, StationFinder
from shared.platform.calendar.source import load_calendar
from shared.platform.clock import SystemClock

HOURS = (
    "每天 08:00-20:00",
    "周一至周五 09:00-17:00；法定节假日休息",
    "每天 00:00-24:00",
    "每天 18:00-02:00",
)


@cache
def _hours(text: str) -> OpeningHours:
    return parse_opening_hours(text)


def synthetic_stations(n: int, seed: int = 25) -> list[Station]:
    """`n` open stations spread over the district around its towns (never stored)."""
    district = load_district()
    rng = np.random.default_rng(seed)
    centres = np.array(list(district.centres.values()))
    pick = rng.integers(0, len(centres), n)
    lat = centres[pick, 0] + rng.normal(0, 0.03, n)
    lng = centres[pick, 1] + rng.normal(0, 0.035, n)
    facilities = list(FACILITIES)
    return [
        Station.model_construct(
            station_id=f"bench-{i}",
            name=f"压测驿站{i}",
            kind="rider_station",
            town="huaxin",
            address="",
            latitude=float(lat[i]),
            longitude=float(lng[i]),
            hours=_hours(HOURS[i % len(HOURS)]),
            facilities=frozenset(facilities[j] for j in range(i % 4, len(facilities), 3)),
            contact="",
            status="open",
            generated=True,
        )
        for i in range(n)
    ]


def nearest_figures(n_stations: int, queries: int = 2_000) -> dict[str, float]:
    """p50/p95 of the nearest query (5 open stations with hot water) against brute force."""
    district = load_district()
    calendar = load_calendar()
    stations = synthetic_stations(n_stations)
    started = time.perf_counter()
    index = StationIndex(stations, Plane(*district.centre))
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(7)
    chosen = rng.integers(0, len(stations), queries)
    points = [(stations[i].latitude, stations[i].longitude) for i in chosen]
    # The finder's own describe (reach minutes, open now, duty): what the HTTP answer is built of.
    sessions = async_sessionmaker(class_=AsyncSession)
    finder = StationFinder(Context(clock=SystemClock(), district=district), sessions)
    register = Register(index=index, duties={})
    at = datetime(2026, 12, 3, 12, 40, tzinfo=SHANGHAI)

    def accept(s: Station) -> bool:
        return "hot_water" in s.facilities and s.hours.is_open(at, calendar.is_public_holiday)

    ours = []
    for lat, lng in points:
        t0 = time.perf_counter()
        for station, metres in index.nearest(lat + 0.003, lng - 0.003, accept, limit=5):
            finder.describe(register, station, metres, at)
        ours.append((time.perf_counter() - t0) * 1000)
    xs, ys = index.x, index.y
    raw = []
    for lat, lng in points[: min(queries, 200)]:
        t0 = time.perf_counter()
        x, y = index.plane.xy(lat + 0.003, lng - 0.003)
        order = np.argsort(np.hypot(xs - x, ys - y))
        found = 0
        for i in order:
            if accept(index.stations[int(i)]):
                found += 1
                if found == 5:
                    break
        raw.append((time.perf_counter() - t0) * 1000)
    return {
        "stations": n_stations,
        "queries": queries,
        "index_build_s": round(build_s, 2),
        "p50_ms": round(float(np.percentile(ours, 50)), 3),
        "p95_ms": round(float(np.percentile(ours, 95)), 3),
        "raw_brute_force_p95_ms": round(float(np.percentile(raw, 95)), 3),
    }


def coverage_figures(n_reports: int, radius_m: float = 3_750) -> dict[str, float]:
    """Seconds for the coverage of `n_reports` reports over the demo register, beside the raw
    geometry alone (nearest station within the radius, hours ignored)."""
    from services.dispatch.domain.stations import check_station
    from services.dispatch.service_layer.stations import station_id_for

    district = load_district()
    calendar = load_calendar()
    stations = [
        check_station(r.station_id or station_id_for(r.draft), r.draft, district)
        for r in load_station_rows()
    ]
    rng = np.random.default_rng(3)
    towns = list(district.centres)
    centres = np.array([district.centres[t] for t in towns])
    pick = rng.integers(0, len(towns), n_reports)
    reports = Reports(
        lat=centres[pick, 0] + rng.normal(0, 0.035, n_reports),
        lng=centres[pick, 1] + rng.normal(0, 0.04, n_reports),
        filed_s=1_796_000_000 - rng.integers(0, 90 * 86_400, n_reports),
        town=np.array(towns, dtype=object)[pick],
    )
    plane = Plane(*district.centre)
    t0 = time.perf_counter()
    mask = covered(reports, stations, plane, radius_m, calendar.is_public_holiday)
    cells = uncovered_cells(reports, mask, 8, 500)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    sx, sy = plane.xy(
        np.array([s.latitude for s in stations]), np.array([s.longitude for s in stations])
    )
    rx, ry = plane.xy(reports.lat, reports.lng)
    STRtree(shapely.points(sx, sy)).query_nearest(shapely.points(rx, ry), max_distance=radius_m)
    raw = time.perf_counter() - t0
    return {
        "reports": n_reports,
        "stations": len(stations),
        "seconds": round(ours, 2),
        "covered_share": round(float(mask.mean()), 4),
        "uncovered_cells": len(cells),
        "raw_geometry_only_seconds": round(raw, 2),
    }
