"""The station register's HTTP shapes: what an admin sends, what anyone may read (no personal data:
a station's contact is its public phone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from services.dispatch.domain.duty import DutySpell
from services.dispatch.domain.stations import FACILITIES, KINDS, STATION_ID, Station, StationDraft


class StationIn(StationDraft):
    """A new station; without `station_id` one is made from the name and the address."""

    station_id: str | None = Field(default=None, max_length=64, pattern=STATION_ID)


class StationOut(BaseModel):
    station_id: str
    name: str
    kind: str
    kind_name: str
    town: str
    town_name: str
    address: str
    latitude: float
    longitude: float
    opening_hours: str
    hours_text: str = Field(description="the hours in Chinese, as the public page shows them")
    facilities: list[str]
    facility_names: list[str]
    contact: str
    status: str
    generated: bool

    @classmethod
    def of(cls, station: Station, towns: dict[str, str]) -> StationOut:
        facilities = sorted(station.facilities, key=list(FACILITIES).index)
        return cls(
            station_id=station.station_id,
            name=station.name,
            kind=station.kind,
            kind_name=KINDS.get(station.kind, station.kind),
            town=station.town,
            town_name=towns.get(station.town, station.town),
            address=station.address,
            latitude=station.latitude,
            longitude=station.longitude,
            opening_hours=station.hours.text,
            hours_text=station.hours.describe(),
            facilities=facilities,
            facility_names=[FACILITIES[f] for f in facilities],
            contact=station.contact,
            status=station.status,
            generated=station.generated,
        )


class DutyOut(BaseModel):
    body_name: str
    body_kind: str
    starts: datetime
    ends: datetime
    text: str = Field(description="e.g. 周四 09:00–17:00 司法所")

    @classmethod
    def of(cls, spell: DutySpell) -> DutyOut:
        day = "一二三四五六日"[spell.starts.weekday()]
        text = (
            f"{spell.starts.month}月{spell.starts.day}日（周{day}）"
            f"{spell.starts:%H:%M}–{spell.ends:%H:%M} {spell.body_kind}（{spell.body_name}）"
        )
        return cls(
            body_name=spell.body_name,
            body_kind=spell.body_kind,
            starts=spell.starts,
            ends=spell.ends,
            text=text,
        )


class NearestOut(BaseModel):
    station: StationOut
    distance_m: int
    walk_minutes: int
    ebike_minutes: int
    open_now: bool
    legal_help_now: bool
    next_duty: DutyOut | None


class ImportOut(BaseModel):
    created: int
    updated: int
    unchanged: int


class RowErrorOut(BaseModel):
    line: int
    field: str
    message: str


class TownCoverageOut(BaseModel):
    town: str
    town_name: str
    reports: int
    covered: int
    share: float | None = Field(description="covered / reports; null without reports")


class CoverageOut(BaseModel):
    """The 15-minute circle over the last days' reports (hazards, disputes filed with a place)."""

    days: int
    mode: str = Field(description="walk or ebike: the speed the 15 minutes are reckoned at")
    radius_m: float
    reports: int
    covered: int
    share: float | None
    towns: list[TownCoverageOut]
    counted: str = Field(description="what was counted, and what not (in Chinese)")
    uncovered: dict[str, Any] = Field(
        description="GeoJSON FeatureCollection of h3 cells with uncovered reports (count, at_night)"
    )
