"""Duplicate detection: the same hazard reported again near an open one (same category,
within a radius, default 250 m, and a time window)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.intake.domain.geo import haversine_m

# States in which a hazard is still being worked on: a new report there is a duplicate.
OPEN_STATES = frozenset(
    {
        "filed",
        "triaged",
        "dispatched",
        "acknowledged",
        "in_progress",
        "reported_not_fixed",
        "reopened",
        "not_responsible",
    }
)


@dataclass(frozen=True)
class DuplicatePolicy:
    radius_m: float = 250.0
    window: timedelta = timedelta(days=14)


@dataclass(frozen=True)
class Candidate:
    case_id: uuid.UUID
    category: str
    status: str
    lat: float
    lng: float
    filed_at: datetime


@dataclass(frozen=True)
class Match:
    case_id: uuid.UUID
    distance_m: float


def find_original(
    policy: DuplicatePolicy,
    category: str,
    lat: float,
    lng: float,
    now: datetime,
    candidates: list[Candidate],
) -> Match | None:
    """The nearest open hazard of the same category within the radius and the window."""
    best: Match | None = None
    for c in candidates:
        if c.category != category or c.status not in OPEN_STATES:
            continue
        if now - c.filed_at > policy.window:
            continue
        distance = haversine_m(lat, lng, c.lat, c.lng)
        if distance <= policy.radius_m and (best is None or distance < best.distance_m):
            best = Match(c.case_id, round(distance, 1))
    return best
