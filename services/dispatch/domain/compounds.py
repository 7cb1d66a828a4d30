"""Compounds (骑手出入管理规范): the register's entries and how a report finds its compound.

A report names its compound (its name or an alias in the title or description) or lies near it
(within `NEAR_M` of its gate point); a name wins over a place, the nearest place over others."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.dispatch.domain.errors import InvalidEntry
from services.dispatch.domain.reach import haversine_m
from shared.platform.json_rules import absent, given, rules

COMPOUND_ID = r"^[a-z0-9][a-z0-9_-]*$"
CATEGORY = "compound_access"
NEAR_M = 500.0
LEADS = ("property_office", "residents_committee")


# An alias has two characters or more besides surrounding spaces (checked in `check`).
Alias = Annotated[str, Field(json_schema_extra={"pattern": r"\S[\s\S]*\S"})]
_ADOPTED = {"required": ["rules_adopted"], "properties": {"rules_adopted": {"const": True}}}
_NOT_ADOPTED = {"properties": {"rules_adopted": {"const": False}}}


class CompoundDraft(BaseModel):
    """A compound as an admin gives it."""

    # A date of adoption exactly when the rules are adopted.
    model_config = ConfigDict(
        json_schema_extra=rules(
            {
                "anyOf": [
                    {"allOf": [_ADOPTED, given("adopted_on")]},
                    {"allOf": [_NOT_ADOPTED, absent("adopted_on")]},
                ]
            }
        )
    )

    name: str = Field(min_length=2, max_length=100)
    aliases: list[Alias] = Field(default_factory=list, max_length=10)
    town: str = Field(min_length=1, max_length=40)
    address: str = Field(default="", max_length=200)
    latitude: float
    longitude: float
    property_office_id: str = Field(min_length=1, max_length=64)
    residents_committee_id: str = Field(min_length=1, max_length=64)
    lead: str = Field(
        default="property_office", max_length=30, json_schema_extra={"enum": list(LEADS)}
    )
    rules_adopted: bool = False
    adopted_on: date | None = None
    generated: bool = False

    def check(self) -> None:
        if self.lead not in LEADS:
            raise InvalidEntry("lead", "牵头方须为“物业”或“居委会”")
        if self.rules_adopted and self.adopted_on is None:
            raise InvalidEntry("adopted_on", "已制定出入管理规范的小区须填写制定日期")
        if not self.rules_adopted and self.adopted_on is not None:
            raise InvalidEntry("adopted_on", "未制定出入管理规范的小区不应填写制定日期")
        if any(len(a.strip()) < 2 for a in self.aliases):
            raise InvalidEntry("aliases", "别名至少两个字")


class Place(BaseModel):
    """A compound as matching sees it."""

    model_config = ConfigDict(frozen=True)

    compound_id: str
    names: tuple[str, ...]
    latitude: float
    longitude: float


def match(
    places: list[Place], text: str, lat: float, lng: float, near_m: float = NEAR_M
) -> tuple[Place, str, int] | None:
    """(compound, "name" or "location", distance in metres) or None."""
    folded = "".join(text.split()).casefold()
    named = [
        p for p in places if any(n and "".join(n.split()).casefold() in folded for n in p.names)
    ]
    by_distance = sorted(
        ((haversine_m(lat, lng, p.latitude, p.longitude), p) for p in places),
        key=lambda pair: pair[0],
    )
    if named:
        distance, place = min(
            ((haversine_m(lat, lng, p.latitude, p.longitude), p) for p in named),
            key=lambda pair: pair[0],
        )
        return place, "name", round(distance)
    if by_distance and by_distance[0][0] <= near_m:
        return by_distance[0][1], "location", round(by_distance[0][0])
    return None
