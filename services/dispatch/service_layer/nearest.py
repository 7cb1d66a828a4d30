"""Nearest help, now: the stations nearest a point, filtered by facility, "open now" and "legal
help on duty now", with walking and e-bike minutes and the next duty spell.

Each process keeps a spatial index of the register; it rebuilds when the register's revision
moves (this replica's writes at once, another replica's within `max_staleness` seconds).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters import station_store as store
from services.dispatch.adapters.station_index import Plane, StationIndex
from services.dispatch.domain.duty import DutyShift, DutySpell, next_on_duty, on_duty_now
from services.dispatch.domain.errors import InvalidStation
from services.dispatch.domain.stations import FACILITIES, Station
from services.dispatch.service_layer.context import Context


@dataclass(frozen=True)
class Found:
    station: Station
    metres: float
    walk_minutes: int
    ebike_minutes: int
    open_now: bool
    legal_help_now: bool
    next_duty: DutySpell | None


@dataclass(frozen=True)
class Register:
    """One consistent read of the register: the index and the duty seated at each station."""

    index: StationIndex
    duties: dict[str, list[DutyShift]]


class StationFinder:
    def __init__(
        self,
        ctx: Context,
        sessions: async_sessionmaker[AsyncSession] | None = None,
        max_staleness: float = 1.0,
    ) -> None:
        self._sessions, self._ctx, self._max_staleness = sessions, ctx, max_staleness
        self._register: Register | None = None
        self._checked_at = 0.0
        centre = ctx.district.centre
        self._plane = Plane(*centre)

    @property
    def plane(self) -> Plane:
        return self._plane

    def bind(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """The database to read the register from (the runtime is built after the handlers)."""
        self._sessions = sessions

    def forget(self) -> None:
        """This replica changed the register: read it again on the next query."""
        self._checked_at = 0.0

    async def register(self) -> Register:
        if self._register and time.monotonic() - self._checked_at < self._max_staleness:
            return self._register
        assert self._sessions is not None, "bind() the finder to a database first"
        async with self._sessions() as session:
            revision = await store.revision(session)
            if self._register is None or self._register.index.revision != revision:
                stations = [store.to_station(r) for r in await store.all_rows(session)]
                duties: dict[str, list[DutyShift]] = {}
                for shift in await store.all_duties(session):
                    duties.setdefault(shift.station_id, []).append(shift)
                index = StationIndex(stations, self._plane, revision)
                self._register = Register(index=index, duties=duties)
        self._checked_at = time.monotonic()
        return self._register

    def _accept(
        self,
        register: Register,
        at: datetime,
        facility: str | None,
        open_now: bool,
        legal: bool,
        duty_soon: bool = False,
    ) -> Callable[[Station], bool]:
        def accept(station: Station) -> bool:
            if facility is not None and facility not in station.facilities:
                return False
            if open_now and not station.hours.is_open(at, self._ctx.calendar.is_public_holiday):
                return False
            duties = register.duties.get(station.station_id, ())
            if duty_soon and next_on_duty(duties, at) is None:
                return False
            return not legal or on_duty_now(duties, at)

        return accept

    async def nearest(
        self,
        lat: float,
        lng: float,
        *,
        facility: str | None = None,
        open_now: bool = False,
        legal_help_now: bool = False,
        duty_soon: bool = False,
        limit: int = 5,
        at: datetime | None = None,
    ) -> list[Found]:
        """The nearest stations passing the filters, nearest first (within the district).

        `duty_soon`: legal help is rostered there now or within the next two weeks."""
        self._ctx.district.check_location(lat, lng)
        if facility is not None and facility not in FACILITIES:
            raise InvalidStation("facility", f"未知的设施“{facility}”")
        at = at or self._ctx.local_now()
        register = await self.register()
        accept = self._accept(register, at, facility, open_now, legal_help_now, duty_soon)
        return [
            self.describe(register, station, metres, at)
            for station, metres in register.index.nearest(lat, lng, accept, limit)
        ]

    def describe(self, register: Register, station: Station, metres: float, at: datetime) -> Found:
        duties = register.duties.get(station.station_id, [])
        reach = self._ctx.reach
        return Found(
            station=station,
            metres=metres,
            walk_minutes=reach.walk_minutes(metres),
            ebike_minutes=reach.ebike_minutes(metres),
            open_now=station.hours.is_open(at, self._ctx.calendar.is_public_holiday),
            legal_help_now=on_duty_now(duties, at),
            next_duty=next_on_duty(duties, at) if duties else None,
        )
