"""Where a session can be held (J13, #25 3c/3d): the stations with legal help nearest a dispute's
workplace, from dispatch's public register, in words a person reads (name, address, how far,
when legal help is on duty) — the officer's filing form offers them, the session form takes one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.pages import Console
from services.console.entrypoints.session import Caller

NEAREST = "/stations/nearest.json"
HOW_MANY = 5


def point_of(values: dict[str, Any]) -> tuple[float, float] | None:
    """A (latitude, longitude) from a form or a case's details; None when either is missing."""
    try:
        lat, lng = float(values.get("latitude") or ""), float(values.get("longitude") or "")
    except (TypeError, ValueError):
        return None
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def address_of(station: dict[str, Any]) -> str:
    """The town, then the address (not the town twice when the address names it already)."""
    town, address = str(station.get("town_name") or ""), str(station.get("address") or "")
    return address if address.startswith(town) else f"{town}{address}"


def distance_words(metres: int, lang: str) -> str:
    if metres >= 1000:
        return f"{metres / 1000:.1f} 公里" if lang != "en" else f"{metres / 1000:.1f} km"
    return f"{round(metres, -1):.0f} 米" if lang != "en" else f"{round(metres, -1):.0f} m"


def choice(found: dict[str, Any], lang: str) -> dict[str, str]:
    """One nearest-station answer as the words of a choice."""
    station, duty = found["station"], found.get("next_duty")
    en = lang == "en"
    reach = (
        f"{distance_words(found['distance_m'], lang)}，步行约 {found['walk_minutes']} 分钟，"
        f"电动车约 {found['ebike_minutes']} 分钟"
        if not en
        else f"{distance_words(found['distance_m'], lang)}, {found['walk_minutes']} min on foot,"
        f" {found['ebike_minutes']} min by e-bike"
    )
    if found.get("legal_help_now"):
        duty_words = "现在有法律服务值班" if not en else "Legal help on duty now"
    elif duty:
        duty_words = f"下次值班：{duty['text']}" if not en else f"Next on duty: {duty['text']}"
    else:
        duty_words = "近期没有排班" if not en else "No duty rostered soon"
    return {
        "station_id": str(station["station_id"]),
        "name": str(station["name"]),
        "address": address_of(station),
        "reach": reach,
        "duty": duty_words,
    }


async def near(
    console: Console, who: Caller, point: tuple[float, float] | None
) -> list[dict[str, str]]:
    """The stations with legal help nearest the point, nearest first ([] without a point, or
    when the point lies outside the district or dispatch does not answer)."""
    if point is None:
        return []
    with contextlib.suppress(ServiceError):
        found = await console.backends.get(
            who, "dispatch", NEAREST, lat=point[0], lng=point[1],
            facility="legal_help", limit=HOW_MANY,
        )  # fmt: skip
        return [choice(f, who.lang) for f in found]
    return []


async def one(console: Console, who: Caller, station_id: str) -> dict[str, str] | None:
    """A station by its id, as a choice without distance (the preferred one, far or not)."""
    with contextlib.suppress(ServiceError):
        station = await console.backends.get(who, "dispatch", f"/stations/{station_id}.json")
        if station.get("status", "open") == "open":
            return {
                "station_id": station_id,
                "name": str(station["name"]),
                "address": address_of(station),
                "reach": "",
                "duty": "",
            }
    return None


async def for_session(console: Console, who: Caller, details: dict[str, Any]) -> dict[str, Any]:
    """The session form's stations: the one chosen at filing first (and selected), then the
    others with legal help nearest the workplace."""
    preferred = str(details.get("preferred_station_id") or "")
    stations = await near(console, who, point_of(details))
    if preferred and all(s["station_id"] != preferred for s in stations):
        chosen = await one(console, who, preferred)
        stations = ([chosen] if chosen else []) + stations
    stations.sort(key=lambda s: s["station_id"] != preferred)  # stable: the rest stay nearest
    return {"session_stations": stations, "preferred_station": preferred}
