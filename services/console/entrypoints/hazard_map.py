"""Server-side SVG map: the jurisdictions' polygons and the open hazards (tiles are offline)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from services.console.entrypoints.charts import SERIES_COLOURS

STATUS_COLOURS = {
    "filed": "#7f7f7f",
    "triaged": "#7f7f7f",
    "dispatched": "#D55E00",
    "acknowledged": "#E69F00",
    "in_progress": "#0072B2",
    "resolved": "#009E73",
    "reopened": "#CC79A7",
}


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    rings: list[list[tuple[float, float]]]


def parse_areas(data: dict[str, Any]) -> list[Area]:
    """Every polygon of the jurisdictions GeoJSON (Polygon and MultiPolygon)."""
    areas = []
    for feature in data["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [[(float(x), float(y)) for x, y, *_ in poly[0]] for poly in polygons]
        areas.append(Area(props["code"], props.get("name_zh", props["code"]), rings))
    return areas


def draw(areas: list[Area], hazards: list[dict[str, Any]], width: int = 720) -> str:
    """Polygons with their names, one dot per hazard coloured by status, a <title> per dot."""
    xs = [x for a in areas for r in a.rings for x, _ in r]
    ys = [y for a in areas for r in a.rings for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = width / (x1 - x0)
    height = int((y1 - y0) * scale * 1.17)  # ~1/cos(31°): metres per degree of longitude

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * scale, (y1 - y) * scale * 1.17

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" class="map"><title>open hazards</title>'
    ]
    for i, area in enumerate(areas):
        for ring in area.rings:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in (at(x, y) for x, y in ring))
            fill = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            parts.append(
                f'<polygon points="{points}" fill="{fill}" fill-opacity="0.08"'
                f' stroke="#555" stroke-width="1"><title>{escape(area.name)}</title></polygon>'
            )
        cx = sum(x for x, _ in area.rings[0]) / len(area.rings[0])
        cy = sum(y for _, y in area.rings[0]) / len(area.rings[0])
        tx, ty = at(cx, cy)
        parts.append(
            f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="13"'
            f' fill="#222">{escape(area.name)}</text>'
        )
    for h in hazards:
        if h.get("latitude") is None or h.get("longitude") is None:
            continue
        px, py = at(h["longitude"], h["latitude"])
        colour = STATUS_COLOURS.get(h.get("status", ""), "#000")
        label = f"{h.get('tracking_code', '')} {h.get('category', '')} {h.get('status', '')}"
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="{colour}" stroke="#000"'
            f' class="hazard-dot"><title>{escape(label)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
