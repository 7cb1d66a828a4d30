"""The station register (阵地地图): what a station is, and the checks a station passes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.dispatch.domain.errors import InvalidStation
from services.dispatch.domain.opening_hours import OpeningHours, parse_opening_hours
from shared.contracts.glossary.places import FACILITIES as GLOSSARY_FACILITIES
from shared.contracts.glossary.places import STATION_KINDS

# code -> the district's own word for it (the spreadsheet may use either)
KINDS: dict[str, str] = {code: zh for code, (zh, _en) in STATION_KINDS.items()}
FACILITIES: dict[str, str] = {code: zh for code, (zh, _en) in GLOSSARY_FACILITIES.items()}
LEGAL_HELP = "legal_help"
StationStatus = Literal["open", "closed_for_good"]
STATION_ID = r"^[a-z0-9][a-z0-9_-]*$"


class District(BaseModel):
    """Where stations may be: the district's box and its towns (adapters/data/district.json)."""

    model_config = ConfigDict(frozen=True)

    bbox: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat
    towns: dict[str, str]  # code -> Chinese name
    centres: dict[str, tuple[float, float]] = {}  # code -> (lat, lng), approximate

    @property
    def centre(self) -> tuple[float, float]:
        min_lng, min_lat, max_lng, max_lat = self.bbox
        return (min_lat + max_lat) / 2, (min_lng + max_lng) / 2

    def check_location(self, lat: float, lng: float) -> None:
        if not (-90 <= lat <= 90):
            raise InvalidStation("latitude", f"纬度 {lat} 不在 −90 到 90 之间")
        if not (-180 <= lng <= 180):
            raise InvalidStation("longitude", f"经度 {lng} 不在 −180 到 180 之间")
        min_lng, min_lat, max_lng, max_lat = self.bbox
        if not (min_lat <= lat <= max_lat and min_lng <= lng <= max_lng):
            raise InvalidStation("location", f"位置（{lat}, {lng}）不在本区范围内")

    def town_code(self, value: str) -> str:
        """A town by its code or its Chinese name."""
        value = value.strip()
        if value in self.towns:
            return value
        by_name = {name: code for code, name in self.towns.items()}
        if value in by_name:
            return by_name[value]
        raise InvalidStation("town", f"没有名为“{value}”的街镇")


class StationDraft(BaseModel):
    """A station as an admin or a spreadsheet row gives it, before the checks."""

    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(min_length=1, max_length=40)
    town: str = Field(min_length=1, max_length=40)
    address: str = Field(min_length=1, max_length=200)
    latitude: float
    longitude: float
    opening_hours: str = Field(min_length=1, max_length=300)
    facilities: list[str] = Field(default_factory=list, max_length=20)
    contact: str = Field(default="", max_length=60, description="a public phone, never a person's")
    generated: bool = False


class Station(BaseModel):
    """A checked station: codes for kind, town and facilities, hours parsed."""

    model_config = ConfigDict(frozen=True)

    station_id: str = Field(min_length=1, max_length=64, pattern=STATION_ID)
    name: str
    kind: str
    town: str
    address: str
    latitude: float
    longitude: float
    hours: OpeningHours
    facilities: frozenset[str]
    contact: str = ""
    status: StationStatus = "open"
    generated: bool = False

    @property
    def identity(self) -> tuple[str, str]:
        """Same name and same address: the same station (a duplicate)."""
        return normalise(self.name), normalise(self.address)


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _code(value: str, table: dict[str, str], field: str, what: str) -> str:
    value = value.strip()
    if value in table:
        return value
    by_word = {word: code for code, word in table.items()}
    if value in by_word:
        return by_word[value]
    raise InvalidStation(field, f"未知的{what}“{value}”")


def check_station(
    station_id: str, draft: StationDraft, district: District, status: StationStatus = "open"
) -> Station:
    """The draft as a station, or InvalidStation naming the first bad field."""
    if not re.fullmatch(STATION_ID, station_id) or len(station_id) > 64:
        raise InvalidStation("station_id", f"编号“{station_id}”只能由小写字母、数字、-、_ 组成")
    district.check_location(draft.latitude, draft.longitude)
    kind = _code(draft.kind, KINDS, "kind", "阵地类型")
    facilities = frozenset(_code(f, FACILITIES, "facilities", "设施") for f in draft.facilities)
    return Station(
        station_id=station_id,
        name=draft.name.strip(),
        kind=kind,
        town=district.town_code(draft.town),
        address=draft.address.strip(),
        latitude=draft.latitude,
        longitude=draft.longitude,
        hours=parse_opening_hours(draft.opening_hours),
        facilities=facilities,
        contact=draft.contact.strip(),
        status=status,
        generated=draft.generated,
    )


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class ImportRow:
    line: int
    station_id: str | None
    draft: StationDraft
