"""The 15-minute circle's coverage over many reports at once (numpy, shapely's STRtree, h3).

A report is covered when a station open at the report's local time lies within the circle's
radius. Stations' weekly hours become two minute-by-minute tables (ranges that start that day,
ranges spilling over from the day before) so "closed on public holidays" applies to the day a
range starts on, as in `OpeningHours.is_open`. Reports that see the same set of open stations
are asked together: one STRtree per distinct set, one vectorised nearest query per tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import h3
import numpy as np
import shapely
from shapely import STRtree

from services.dispatch.adapters.station_index import Plane
from services.dispatch.domain.opening_hours import DAY
from services.dispatch.domain.stations import Station

WEEK = 7 * DAY
SHANGHAI_OFFSET_S = 8 * 3600  # Asia/Shanghai has had no daylight saving since 1991


@dataclass(frozen=True)
class Reports:
    """Many reports as columns: place, filing time (UTC POSIX seconds) and town code."""

    lat: np.ndarray
    lng: np.ndarray
    filed_s: np.ndarray
    town: np.ndarray  # object array of town codes (None: unknown)


def weekly_tables(stations: Sequence[Station]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(own, spill, closes_on_holidays): own[s, m] open at minute-of-week m by a range that began
    that day; spill[s, m] by one that began the day before."""
    own = np.zeros((len(stations), WEEK), dtype=bool)
    spill = np.zeros((len(stations), WEEK), dtype=bool)
    for i, station in enumerate(stations):
        for weekday, start, end in station.hours.ranges:
            base = weekday * DAY
            own[i, base + start : base + min(end, DAY)] = True
            if end > DAY:
                nxt = ((weekday + 1) % 7) * DAY
                spill[i, nxt : nxt + end - DAY] = True
    closes = np.array([s.hours.closed_on_holidays for s in stations], dtype=bool)
    return own, spill, closes


def _local_keys(
    filed_s: np.ndarray, is_holiday: Callable[[date], bool]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    local = filed_s.astype(np.int64) + SHANGHAI_OFFSET_S
    days = local // 86_400  # days since 1970-01-01, local
    minute = (local % 86_400) // 60
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (Monday = 0)
    unique_days = np.unique(np.concatenate([days, days - 1]))
    holidays = {int(d) for d in unique_days if is_holiday(date.fromordinal(719_163 + int(d)))}
    hol = np.fromiter((d in holidays for d in unique_days), dtype=bool, count=len(unique_days))
    today = hol[np.searchsorted(unique_days, days)]
    yesterday = hol[np.searchsorted(unique_days, days - 1)]
    return weekday * DAY + minute, today, yesterday


def covered(
    reports: Reports,
    stations: Sequence[Station],
    plane: Plane,
    radius_m: float,
    is_holiday: Callable[[date], bool],
) -> np.ndarray:
    """Per report: whether a station open at its filing time is within `radius_m`."""
    result = np.zeros(len(reports.lat), dtype=bool)
    open_stations = [s for s in stations if s.status == "open"]
    if not open_stations or not len(result):
        return result
    own, spill, closes = weekly_tables(open_stations)
    sx, sy = plane.xy(
        np.array([s.latitude for s in open_stations]),
        np.array([s.longitude for s in open_stations]),
    )
    rx, ry = plane.xy(reports.lat, reports.lng)
    minute, hol_today, hol_yesterday = _local_keys(reports.filed_s, is_holiday)
    key = minute * 4 + hol_today * 2 + hol_yesterday
    keys, inverse = np.unique(key, return_inverse=True)
    k_min, k_today, k_yest = keys // 4, (keys // 2) % 2 == 1, keys % 2 == 1
    masks = (own[:, k_min] & ~(closes[:, None] & k_today[None, :])) | (
        spill[:, k_min] & ~(closes[:, None] & k_yest[None, :])
    )
    packed = np.packbits(masks, axis=0).T  # one row of bytes per key: its set of open stations
    sets, set_of_key = np.unique(packed, axis=0, return_inverse=True)
    set_of_report = set_of_key.reshape(-1)[inverse.reshape(-1)]
    order = np.argsort(set_of_report, kind="stable")
    bounds = np.searchsorted(set_of_report[order], np.arange(len(sets) + 1))
    for n in range(len(sets)):
        members = order[bounds[n] : bounds[n + 1]]
        which = np.flatnonzero(np.unpackbits(sets[n])[: len(open_stations)])
        if not len(members) or not len(which):
            continue
        tree = STRtree(shapely.points(sx[which], sy[which]))
        hits = tree.query_nearest(
            shapely.points(rx[members], ry[members]), max_distance=radius_m, all_matches=False
        )
        result[members[np.unique(hits[0])]] = True
    return result


@dataclass(frozen=True)
class Cell:
    cell: str
    count: int
    at_night: int  # filed between 20:00 and 06:00 local
    boundary: list[tuple[float, float]]  # (lat, lng)


def uncovered_cells(reports: Reports, mask: np.ndarray, resolution: int, top: int) -> list[Cell]:
    """The h3 cells holding uncovered reports, most first."""
    idx = np.flatnonzero(~mask)
    if not len(idx):
        return []
    cells = np.array(
        [
            h3.latlng_to_cell(float(a), float(b), resolution)
            for a, b in zip(reports.lat[idx], reports.lng[idx], strict=True)
        ]
    )
    hour = ((reports.filed_s[idx].astype(np.int64) + SHANGHAI_OFFSET_S) % 86_400) // 3600
    night = (hour >= 20) | (hour < 6)
    names, inverse, counts = np.unique(cells, return_inverse=True, return_counts=True)
    nights = np.bincount(inverse.reshape(-1), weights=night, minlength=len(names))
    best = np.argsort(-counts, kind="stable")[:top]
    return [
        Cell(
            cell=str(names[i]),
            count=int(counts[i]),
            at_night=int(nights[i]),
            boundary=[(float(a), float(b)) for a, b in h3.cell_to_boundary(str(names[i]))],
        )
        for i in best
    ]


def as_posix(times: Sequence[datetime]) -> np.ndarray:
    return np.array([t.timestamp() for t in times], dtype=np.int64)
