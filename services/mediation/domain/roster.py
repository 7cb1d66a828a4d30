"""The duty roster ("three offices + N") and the choice of a mediator inside the body on duty."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.mediation.domain.errors import NoMediatorAvailable


class Mediator(BaseModel):
    model_config = ConfigDict(frozen=True)

    mediator_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    body_id: str = Field(min_length=1, max_length=64)
    skills: frozenset[str] = frozenset()
    tied_to: frozenset[str] = Field(
        default=frozenset(), description="org codes of companies the mediator is tied to"
    )
    active: bool = True
    capacity: int = Field(default=10, ge=1, le=200, description="open cases at full load")


class DutyBody(BaseModel):
    model_config = ConfigDict(frozen=True)

    body_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(max_length=40)  # judicial_office, police_station, law_firm, union, hq_station


def _local_time(schema: dict[str, Any]) -> None:
    """A local time has no zone: JSON Schema's `time` format demands one."""
    schema.pop("format", None)
    schema["pattern"] = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


# A time of day in Asia/Shanghai, written without a zone (09:00 or 09:00:00).
LocalTime = Annotated[time, Field(json_schema_extra=_local_time)]


class Shift(BaseModel):
    """A body on duty for a run of days (inclusive), e.g. holiday cover or a swap of weeks.

    A shift may seat the body at a station (`station_id`, dispatch's register) on some weekdays
    between two times: "the judicial office sits at the truckers' station on Tuesdays and
    Thursdays, 9:00-17:00". Dispatch learns these from `roster.published`.
    """

    model_config = ConfigDict(frozen=True)

    body_id: str = Field(min_length=1, max_length=64)
    starts_on: date
    ends_on: date
    note: str = Field(default="", max_length=200)
    station_id: str | None = Field(default=None, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    weekdays: tuple[Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 7})], ...] = (
        Field(default=(), description="ISO weekdays (1 = Monday); all if empty")
    )
    from_time: LocalTime = time(9, 0)
    to_time: LocalTime = time(17, 0)

    @model_validator(mode="after")
    def _in_order(self) -> Shift:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if any(not 1 <= d <= 7 for d in self.weekdays):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday)")
        if self.from_time.tzinfo is not None or self.to_time.tzinfo is not None:
            raise ValueError("from_time and to_time are local times (Asia/Shanghai), no zone")
        if self.to_time <= self.from_time:
            raise ValueError("to_time is not after from_time")
        return self

    def covers(self, day: date) -> bool:
        in_run = self.starts_on <= day <= self.ends_on
        return in_run and (not self.weekdays or day.isoweekday() in self.weekdays)


class Roster(BaseModel):
    """Schedule -> shifts -> the body on duty.

    The schedule is a weekly `rotation` of bodies (by ISO week); explicit `shifts` override it
    on the days they cover; `always_on` bodies (the "+N": union, HQ station) serve every day.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    bodies: tuple[DutyBody, ...]
    mediators: tuple[Mediator, ...]
    rotation: tuple[str, ...]
    always_on: tuple[str, ...] = ()
    shifts: tuple[Shift, ...] = ()

    @model_validator(mode="after")
    def _known_bodies(self) -> Roster:
        known = {b.body_id for b in self.bodies}
        named = [*self.rotation, *self.always_on, *(s.body_id for s in self.shifts)]
        named += [m.body_id for m in self.mediators]
        unknown = sorted(set(named) - known)
        if unknown:
            raise ValueError(f"unknown duty bodies: {', '.join(unknown)}")
        return self

    def body(self, body_id: str) -> DutyBody:
        return next(b for b in self.bodies if b.body_id == body_id)

    def on_duty(self, day: date) -> list[str]:
        """The day's shift bodies (else the rotating body of its ISO week), then always-on."""
        bodies = [s.body_id for s in self.shifts if s.covers(day)]
        if not bodies and self.rotation:
            week = day.isocalendar().week
            bodies.append(self.rotation[week % len(self.rotation)])
        return list(dict.fromkeys(bodies + list(self.always_on)))

    def police_bodies(self, day: date) -> list[str]:
        """Police stations on duty that day first, then every other police station."""
        police = [b.body_id for b in self.bodies if b.kind == "police_station"]
        on = [b for b in self.on_duty(day) if b in police]
        return on + [b for b in police if b not in on]


def choose_mediator(
    roster: Roster,
    day: date,
    respondent_orgs: Iterable[str],
    caseload: Mapping[str, int],
    skill: str | None = None,
    exclude: Iterable[str] = (),
    last_assigned: Mapping[str, float] | None = None,
    bodies: Iterable[str] | None = None,
) -> Mediator:
    """Round robin inside the body on duty, weighted by load and skill, never a conflict.

    Order: a skill match first; then open caseload relative to the mediator's capacity; then
    the one assigned longest ago (`last_assigned`, POSIX seconds: round robin among equals);
    then id, so the choice is stable.
    A mediator tied to any respondent, inactive or excluded (objected to) is never chosen.
    Falls back from the on-duty bodies to every body.
    """
    orgs, excluded, last = set(respondent_orgs), set(exclude), last_assigned or {}
    eligible = [
        m
        for m in roster.mediators
        if m.active and m.mediator_id not in excluded and not (m.tied_to & orgs)
    ]
    first = list(bodies) if bodies is not None else roster.on_duty(day)
    for allowed in (first, None):
        pool = [m for m in eligible if allowed is None or m.body_id in allowed]
        if pool:
            return min(
                pool,
                key=lambda m: (
                    skill is not None and skill not in m.skills,
                    caseload.get(m.mediator_id, 0) / m.capacity,
                    last.get(m.mediator_id, 0.0),
                    m.mediator_id,
                ),
            )
    raise NoMediatorAvailable("no mediator free of conflicts is on the roster")


def choose_police_mediator(
    roster: Roster,
    day: date,
    respondent_orgs: Iterable[str],
    caseload: Mapping[str, int],
    exclude: Iterable[str] = (),
) -> Mediator:
    """A risk flag routes the case to the police member on duty (PML 25)."""
    police = roster.police_bodies(day)
    if not police:
        raise NoMediatorAvailable("the roster has no police station")
    orgs, excluded = set(respondent_orgs), set(exclude)
    for body in police:
        pool = [
            m
            for m in roster.mediators
            if m.body_id == body
            and m.active
            and m.mediator_id not in excluded
            and not (m.tied_to & orgs)
        ]
        if pool:
            return min(pool, key=lambda m: (caseload.get(m.mediator_id, 0), m.mediator_id))
    raise NoMediatorAvailable("no police mediator free of conflicts is on the roster")
