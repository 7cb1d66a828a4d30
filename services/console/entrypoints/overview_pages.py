"""The supervisor's overview: open hazards on a map of the jurisdictions, closed loop per town."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.entrypoints import labels
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import STATUS_COLOURS, draw, worded
from services.console.entrypoints.pages import COMMITTEE, Console
from services.console.entrypoints.session import Caller

NOT_COUNTED = frozenset({"duplicate", "cancelled"})
CLOSED = frozenset({"closed", "confirmed_fixed"})
MAX_PAGES = 10  # 2,000 hazards: a district's open load; beyond it the map is a sample


async def all_hazards(console: Console, who: Caller) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    for _ in range(MAX_PAGES):
        page = await console.backends.get(
            who, "intake", "/api/v1/cases", kind="hazard", limit=200, cursor=cursor
        )
        rows.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    return rows


def closed_loop(hazards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per town: hazards counted (no duplicates, no cancellations), closed, the rate."""
    total: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for h in hazards:
        if h["status"] in NOT_COUNTED:
            continue
        town = h.get("jurisdiction") or "—"
        total[town] += 1
        closed[town] += h["status"] in CLOSED
    return [
        {"town": t, "total": total[t], "closed": closed[t], "rate": closed[t] / total[t]}
        for t in sorted(total)
    ]


router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/overview")
async def overview(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    areas = await console.areas(who)
    names = {a.code: a.name for a in areas}
    hazards = await all_hazards(console, who)
    open_ = [h for h in hazards if h["status"] not in CLOSED | NOT_COUNTED]
    by_category = Counter((h["category"], h["status"]) for h in open_)
    svg = draw(areas, open_, title=labels.word("map", who.lang), label=worded(who.lang))
    return console.render(
        request, "overview.html", who, svg_map=svg,
        open_count=len(open_), by_category=sorted(by_category.items()),
        loop=closed_loop(hazards), town_names=names, status_colours=STATUS_COLOURS,
    )  # fmt: skip
