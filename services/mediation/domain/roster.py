"""The duty roster ("three offices + N") and the choice of a mediator inside the body on duty."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

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


class DutyBody(BaseModel):
    model_config = ConfigDict(frozen=True)

    body_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(max_length=40)  # judicial_office, police_station, law_firm, union, hq_station


class Roster(BaseModel):
    """Bodies take weekly turns in `rotation` order; `always_on` bodies (the "+N") serve too."""

    model_config = ConfigDict(frozen=True)

    bodies: tuple[DutyBody, ...]
    mediators: tuple[Mediator, ...]
    rotation: tuple[str, ...]
    always_on: tuple[str, ...] = ()

    def body(self, body_id: str) -> DutyBody:
        return next(b for b in self.bodies if b.body_id == body_id)

    def on_duty(self, day: date) -> list[str]:
        """The rotating body of the day's ISO week, then the always-on bodies."""
        bodies = []
        if self.rotation:
            week = day.isocalendar().week
            bodies.append(self.rotation[week % len(self.rotation)])
        return bodies + [b for b in self.always_on if b not in bodies]


def choose_mediator(
    roster: Roster,
    day: date,
    respondent_orgs: Iterable[str],
    caseload: Mapping[str, int],
    skill: str | None = None,
    exclude: Iterable[str] = (),
) -> Mediator:
    """Least open caseload inside the body on duty, never one tied to a respondent.

    Skill match comes first, then caseload, then id so the choice is stable (round robin as
    caseloads grow). Falls back to the always-on bodies, then to any free mediator.
    """
    orgs, excluded = set(respondent_orgs), set(exclude)
    eligible = [
        m
        for m in roster.mediators
        if m.active and m.mediator_id not in excluded and not (m.tied_to & orgs)
    ]
    for bodies in (roster.on_duty(day), None):
        pool = [m for m in eligible if bodies is None or m.body_id in bodies]
        if pool:
            return min(
                pool,
                key=lambda m: (
                    skill is not None and skill not in m.skills,
                    caseload.get(m.mediator_id, 0),
                    m.mediator_id,
                ),
            )
    raise NoMediatorAvailable("no mediator free of conflicts is on the roster")
