"""Asks dispatch, with the rider's own token, what the points exchange offers, books a reward
for him and lists his bookings: dispatch keeps the ledger and the exchange, intake keeps none.

One pooled client, opened and closed by the app's lifespan. Dispatch down, slow or answering
nonsense gives None (the page says the exchange cannot be shown now); a refusal gives its
reason code, which the page puts into words (never dispatch's message).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
import structlog
from pydantic import BaseModel, ValidationError

log = structlog.get_logger(__name__)


class AtStation(BaseModel):
    """Something handed over at a station, named as the public station page names it."""

    station_id: str
    station_name: str = ""
    town: str = ""
    town_name: str = ""

    def place(self, places: dict[str, dict[str, Any]]) -> None:
        found = places.get(self.station_id, {})
        self.station_name = str(found.get("name", ""))
        self.town = str(found.get("town", ""))
        self.town_name = str(found.get("town_name", ""))


class Offer(AtStation):
    """A reward on offer today."""

    reward_id: str
    name: str
    cost: int
    stock: int
    valid_to: date


class Booking(AtStation):
    """One of the rider's redemptions: 待领取 (reserved) or 已领取 (handed_over)."""

    redemption_id: uuid.UUID
    reward_id: str
    reward_name: str
    cost: int
    state: str
    redeemed_at: datetime
    handed_over_at: datetime | None = None
    balance: int | None = None

    @property
    def reference(self) -> str:
        """What the rider shows at the station; the station's staff see the same."""
        return "#" + self.redemption_id.hex[:8].upper()


@dataclass(frozen=True)
class Exchange:
    offers: list[Offer]
    bookings: list[Booking]
    balance: int


@dataclass(frozen=True)
class Refusal:
    """Dispatch said no: `reason` is its code (not_enough_points, out_of_stock, ...)."""

    reason: str


class ExchangeAccess:
    def __init__(
        self, base_url: str, timeout: float = 3.0, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._client = client

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:  # building a client does no I/O; the lifespan closes it
            self._client = httpx.AsyncClient(timeout=self._timeout)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _get(self, path: str, token: str | None = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = await self._http().get(f"{self._base}{path}", params=params, headers=headers)
        answer.raise_for_status()
        return answer.json()

    async def _places(self, station_ids: set[str]) -> dict[str, dict[str, Any]]:
        """Each station's public entry (name, town); one that cannot be read is left out."""
        ids = sorted(station_ids)
        found = await asyncio.gather(
            *(self._get(f"/stations/{s}.json") for s in ids), return_exceptions=True
        )
        return {s: f for s, f in zip(ids, found, strict=True) if isinstance(f, dict)}

    async def exchange(self, token: str, reporter_id: str) -> Exchange | None:
        """Today's catalogue, the rider's bookings and his balance; None if dispatch fails."""
        try:
            rewards, mine, points = await asyncio.gather(
                self._get("/api/v1/rewards", token),
                self._get("/api/v1/redemptions", token),
                self._get(f"/api/v1/reporters/{reporter_id}/points", token, limit=1),
            )
            offers = [Offer.model_validate(r) for r in rewards]
            bookings = [Booking.model_validate(r) for r in mine]
            balance = int(points["balance"])
            rows: list[AtStation] = [*offers, *bookings]
            places = await self._places({r.station_id for r in rows})
        except (httpx.HTTPError, ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("exchange_unanswered", error=type(exc).__name__)
            return None
        for row in rows:
            row.place(places)
        return Exchange(offers, bookings, balance)

    async def redeem(self, token: str, reward_id: str, key: str) -> Booking | Refusal | None:
        """Book one reward; the same `key` again books nothing more (dispatch's answer again)."""
        url = f"{self._base}/api/v1/rewards/{reward_id}/redeem"
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        try:
            answer = await self._http().post(url, headers=headers)
            if answer.status_code in (200, 201):
                booking = Booking.model_validate(answer.json())
                booking.place(await self._places({booking.station_id}))
                return booking
            if answer.status_code == 409:
                detail = answer.json().get("detail")
                return Refusal(str(detail.get("reason", "")) if isinstance(detail, dict) else "")
            if answer.status_code == 404:
                return Refusal("gone")
            if answer.status_code in (401, 403):
                return Refusal("not_allowed")
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            log.warning("exchange_unanswered", error=type(exc).__name__)
            return None
        log.warning("exchange_refused", status=answer.status_code)
        return None
