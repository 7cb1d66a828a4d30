"""Jurisdiction lookup: which town/street polygon a point falls in (GeoJSON, shapely)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shapely import Point, STRtree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

DEMO_FILE = Path(__file__).parent / "data" / "jurisdictions.geojson"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name_zh: str


class JurisdictionMap:
    """Polygons from a GeoJSON FeatureCollection with `code` and `name_zh` properties."""

    def __init__(self, features: list[tuple[Jurisdiction, BaseGeometry]]) -> None:
        self._items = features
        self._tree = STRtree([geom for _, geom in features])

    @classmethod
    def from_file(cls, path: Path = DEMO_FILE) -> JurisdictionMap:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            [
                (
                    Jurisdiction(f["properties"]["code"], f["properties"]["name_zh"]),
                    shape(f["geometry"]),
                )
                for f in data["features"]
            ]
        )

    def locate(self, lat: float, lng: float) -> Jurisdiction | None:
        point = Point(lng, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self._items[int(index)][0]
        return None

    def locate_address(self, address: str) -> tuple[Jurisdiction, float, float] | None:
        """The town/street named in a free-text address, with a point inside it (lat, lng).

        A stand-in for a geocoder: Open311 lets a client send only `address_string`; the
        point is the polygon's representative point, so distance checks are coarse for it.
        """
        named = [(j, g) for j, g in self._items if j.name_zh and j.name_zh in address]
        if not named:
            return None
        place, geom = max(named, key=lambda item: len(item[0].name_zh))
        point = geom.representative_point()
        return place, float(point.y), float(point.x)

    def all(self) -> list[Jurisdiction]:
        return [j for j, _ in self._items]
