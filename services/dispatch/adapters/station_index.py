"""A kept spatial index of the open stations (shapely's STRtree), for the nearest query.

Points are projected to metres on a plane tangent at the district's centre (an equirectangular
projection: under 0.5% error across one district), so the tree's "within distance" is in metres;
the distances reported are great-circle ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import shapely
from shapely import STRtree

from services.dispatch.domain.reach import haversine_m
from services.dispatch.domain.stations import Station

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LNG_EQUATOR = 111_320.0
FIRST_RADIUS_M = 1_000.0


class Plane:
    """Degrees to metres around an origin."""

    def __init__(self, lat0: float, lng0: float) -> None:
        self.lat0, self.lng0 = lat0, lng0
        self.kx = M_PER_DEG_LNG_EQUATOR * math.cos(math.radians(lat0))

    def xy(self, lat: np.ndarray | float, lng: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        return (
            (np.asarray(lng) - self.lng0) * self.kx,
            (np.asarray(lat) - self.lat0) * M_PER_DEG_LAT,
        )


class StationIndex:
    """Open stations in an STRtree; asked for the nearest that pass a test."""

    def __init__(self, stations: Sequence[Station], plane: Plane, revision: int = 0) -> None:
        self.revision = revision
        self.stations = [s for s in stations if s.status == "open"]
        self.plane = plane
        lat = np.array([s.latitude for s in self.stations], dtype=float)
        lng = np.array([s.longitude for s in self.stations], dtype=float)
        self.x, self.y = plane.xy(lat, lng)
        self.tree = STRtree(shapely.points(self.x, self.y))

    def __len__(self) -> int:
        return len(self.stations)

    def nearest(
        self,
        lat: float,
        lng: float,
        accept: Callable[[Station], bool],
        limit: int = 5,
        max_metres: float = 50_000,
    ) -> list[tuple[Station, float]]:
        """Up to `limit` stations passing `accept`, nearest first, within `max_metres`.

        The radius grows until enough pass: every station inside the radius is considered, so
        the order is exact, and a query near many stations looks at few of them.
        """
        if not self.stations:
            return []
        x, y = self.plane.xy(lat, lng)
        # One point: the constructor, not the array function (half the cost for a scalar).
        here = shapely.Point(float(x), float(y))
        radius = min(FIRST_RADIUS_M, max_metres)
        while True:
            found = self._within(here, float(x), float(y), radius, accept, limit)
            if len(found) >= limit or radius >= max_metres:
                return [(s, haversine_m(lat, lng, s.latitude, s.longitude)) for s in found]
            radius = min(radius * 3, max_metres)

    def _within(
        self,
        here: shapely.Point,
        x: float,
        y: float,
        radius: float,
        accept: Callable[[Station], bool],
        limit: int,
    ) -> list[Station]:
        hits = self.tree.query(here, predicate="dwithin", distance=radius)
        order = hits[np.argsort(np.hypot(self.x[hits] - x, self.y[hits] - y), kind="stable")]
        found: list[Station] = []
        for i in order:
            station = self.stations[int(i)]
            if accept(station):
                found.append(station)
                if len(found) == limit:
                    break
        return found
