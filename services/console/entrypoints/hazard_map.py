"""Server-side SVG map: the jurisdictions' polygons and the open hazards (tiles are offline)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from services.console.entrypoints.charts import SERIES_COLOURS
from shared.contracts.glossary import term

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


def draw(
    areas: list[Area],
    hazards: list[dict[str, Any]],
    width: int = 720,
    *,
    title: str = "",
    label: Callable[[dict[str, Any]], str] | None = None,
) -> str:
    """Polygons with their names, one dot per hazard coloured by state, each a link to its case
    with a <title> (`label` words it in the reader's language)."""
    xs = [x for a in areas for r in a.rings for x, _ in r]
    ys = [y for a in areas for r in a.rings for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = width / (x1 - x0)
    height = int((y1 - y0) * scale * 1.17)  # ~1/cos(31°): metres per degree of longitude
    if height > width:  # a tall, narrow town: fit its height instead, so marks keep their size
        scale, height = scale * width / height, width
        width = int((x1 - x0) * scale)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * scale, (y1 - y) * scale * 1.17

    # With links to cases inside, the map is a group of links (an "img" may hold none).
    linked = any(h.get("case_id") for h in hazards if _placed(h))
    role = f'role="group" aria-label="{escape(title)}"' if linked else 'role="img"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" {role} viewBox="0 0 {width} {height}"'
        f' width="100%" class="map"><title>{escape(title)}</title>'
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
    parts += [_dot(h, at, label) for h in hazards if _placed(h)]
    parts.append("</svg>")
    return "".join(parts)


def _placed(h: dict[str, Any]) -> bool:
    return h.get("latitude") is not None and h.get("longitude") is not None


def _dot(
    h: dict[str, Any],
    at: Callable[[float, float], tuple[float, float]],
    label: Callable[[dict[str, Any]], str] | None,
) -> str:
    """A hazard's dot; an escalated or overdue one is a larger ringed square, not a plain dot."""
    px, py = at(h["longitude"], h["latitude"])
    state = h.get("state") or h.get("status", "")
    colour = STATUS_COLOURS.get(state, "#000")
    words = label(h) if label else f"{h.get('tracking_code', '')} {state}"
    if h.get("escalated") or h.get("overdue"):
        shape = (
            f'<rect x="{px - 8:.1f}" y="{py - 8:.1f}" width="16" height="16" fill="{colour}"'
            f' stroke="#a4161a" stroke-width="3" class="hazard-dot escalated"/>'
        )
    else:
        shape = (
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="{colour}" stroke="#000"'
            ' class="hazard-dot"/>'
        )
    href = f"/console/cases/{h['case_id']}" if h.get("case_id") else ""
    inner = f"<title>{escape(words)}</title>{shape}"
    return f'<a href="{escape(href)}">{inner}</a>' if href else f"<g>{inner}</g>"


def worded(lang: str) -> Callable[[dict[str, Any]], str]:
    """A dot's title in the reader's language: tracking code · category · state."""

    def label(h: dict[str, Any]) -> str:
        state = h.get("state") or h.get("status")
        parts = [h.get("tracking_code", ""), term("category", h.get("category"), lang)]
        return " · ".join([*parts, term("state", state, lang)])

    return label


def picker(areas: list[Area], width: int = 560) -> str:
    """The jurisdictions as a clickable map: map_picker.js turns a click into latitude and
    longitude (the SVG carries its projection) and names the town clicked in."""
    xs = [x for a in areas for r in a.rings for x, _ in r]
    ys = [y for a in areas for r in a.rings for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = width / (x1 - x0)
    height = int((y1 - y0) * scale * 1.17)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' class="map picker" data-x0="{x0}" data-y1="{y1}" data-scale="{scale}"'
        ' aria-hidden="true" focusable="false">'
    ]
    for i, area in enumerate(areas):
        fill = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        for ring in area.rings:
            points = " ".join(
                f"{(x - x0) * scale:.1f},{(y1 - y) * scale * 1.17:.1f}" for x, y in ring
            )
            parts.append(
                f'<polygon points="{points}" fill="{fill}" fill-opacity="0.12" stroke="#555"'
                f' data-code="{escape(area.code)}" data-name="{escape(area.name)}"/>'
            )
    for area in areas:
        cx = sum(x for x, _ in area.rings[0]) / len(area.rings[0])
        cy = sum(y for _, y in area.rings[0]) / len(area.rings[0])
        parts.append(
            f'<text x="{(cx - x0) * scale:.1f}" y="{(y1 - cy) * scale * 1.17:.1f}"'
            f' text-anchor="middle" font-size="12" fill="#222" pointer-events="none">'
            f"{escape(area.name)}</text>"
        )
    parts.append('<circle class="pick" r="7" cx="-20" cy="-20" fill="#a4161a" stroke="#fff"/>')
    parts.append("</svg>")
    return "".join(parts)
