"""Build the demo jurisdiction polygons: Voronoi cells of the towns' approximate centres.

Run: python scripts/make_demo_jurisdictions.py ../shared/data/qingpu-towns.json
The output is APPROXIMATE and for demos only; replace it with official boundaries.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely import MultiPoint, Point, box, voronoi_polygons
from shapely.geometry import mapping

OUT = Path("services/intake/adapters/data/jurisdictions.geojson")


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    bbox = box(*data["district"]["bbox"])
    towns = data["towns"]
    cells = voronoi_polygons(MultiPoint([(t["lng"], t["lat"]) for t in towns]), extend_to=bbox)
    features = []
    for town in towns:
        centre = Point(town["lng"], town["lat"])
        cell = next(c for c in cells.geoms if c.contains(centre))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": town["code"],
                    "name_zh": town["name_zh"],
                    "kind": town["kind"],
                    "approximate": True,
                },
                "geometry": mapping(cell.intersection(bbox).simplify(0.0005)),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "qingpu-demo-jurisdictions",
        "note": "APPROXIMATE demo boundaries (Voronoi cells of approximate town centres); "
        "replace with official boundaries before real use.",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {OUT} with {len(features)} jurisdictions")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/qingpu-towns.json")
