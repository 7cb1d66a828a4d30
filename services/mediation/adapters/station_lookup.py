"""A station's name and address for a session's place, read from dispatch's public station API
(dispatch owns the register; mediation never reads its tables)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

StationPlace = Callable[[str], Awaitable[str | None]]


class StationsUnavailable(Exception):
    """Dispatch's station API did not answer: the session cannot be placed at a station now."""


def station_place(base_url: str, client: httpx.AsyncClient | None = None) -> StationPlace:
    """`lookup(station_id)` -> "name（town address）", None for an unknown or closed station."""

    async def lookup(station_id: str) -> str | None:
        own = client or httpx.AsyncClient(timeout=5)
        try:
            answer = await own.get(f"{base_url.rstrip('/')}/stations/{station_id}.json")
            if answer.status_code == 404:
                return None
            answer.raise_for_status()
        except httpx.HTTPError as exc:
            raise StationsUnavailable(str(exc)) from exc
        finally:
            if client is None:
                await own.aclose()
        station = answer.json()
        if station.get("status") != "open":
            return None
        town, address = station["town_name"], station["address"]
        where = address if address.startswith(town) else f"{town}{address}"  # not the town twice
        return f"{station['name']}（{where}）"[:200]

    return lookup
