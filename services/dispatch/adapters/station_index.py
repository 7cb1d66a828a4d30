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
# Up to this many stations one vector of distances is cheaper than the tree's query (shapely's
# wrapper costs tens of microseconds a call); beyond it the tree looks at fewer stations.
SCAN_UP_TO = 2_000


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
        # One point, in plain floats (numpy's and shapely's array calls cost more for a scalar).
        x = (lng - self.plane.lng0) * self.plane.kx
        y = (lat - self.plane.lat0) * M_PER_DEG_LAT
        near = self._scan(x, y) if len(self.stations) <= SCAN_UP_TO else self._query(x, y)
        radius = min(FIRST_RADIUS_M, max_metres)
        while True:
            found = self._accepted(near(radius), accept, limit)
            if len(found) >= limit or radius >= max_metres:
                return [(s, haversine_m(lat, lng, s.latitude, s.longitude)) for s in found]
            radius = min(radius * 3, max_metres)

    def _scan(self, x: float, y: float) -> Callable[[float], np.ndarray]:
        """Every station's distance once; each radius picks those within it, nearest first."""
        metres = np.hypot(self.x - x, self.y - y)

        def within(radius: float) -> np.ndarray:
            hits = np.flatnonzero(metres <= radius)
            return hits[np.argsort(metres[hits], kind="stable")]

        return within

    def _query(self, x: float, y: float) -> Callable[[float], np.ndarray]:
        """The tree's stations within each radius, nearest first."""
        here = shapely.Point(x, y)

        def within(radius: float) -> np.ndarray:
            hits = self.tree.query(here, predicate="dwithin", distance=radius)
            order: np.ndarray = hits[
                np.argsort(np.hypot(self.x[hits] - x, self.y[hits] - y), kind="stable")
            ]
            return order

        return within

    def _accepted(
        self, order: np.ndarray, accept: Callable[[Station], bool], limit: int
    ) -> list[Station]:
        found: list[Station] = []
        for i in order:
            station = self.stations[int(i)]
            if accept(station):
                found.append(station)
                if len(found) == limit:
                    break
        return found
