"""What filing needs to know beyond the command: places, duplicate rules and the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.jurisdictions import Jurisdiction, JurisdictionMap
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.adapters.tables import Case
from services.intake.domain.duplicates import (
    OPEN_STATES,
    Candidate,
    DuplicatePolicy,
    Match,
    find_original,
)
from services.intake.domain.errors import OutsideServiceArea
from services.intake.domain.geo import bounding_box
from shared.clock import Clock, SystemClock


@dataclass(frozen=True)
class Triage:
    jurisdictions: JurisdictionMap
    duplicates: DuplicatePolicy = DuplicatePolicy()
    clock: Clock = field(default_factory=SystemClock)
    # Seals ID numbers at filing (None: ID numbers are refused, e.g. in tools without keys).
    cipher: PiiCipher | None = None

    def now(self) -> datetime:
        return self.clock.now()

    def place(self, lat: float, lng: float) -> Jurisdiction:
        found = self.jurisdictions.locate(lat, lng)
        if found is None:
            raise OutsideServiceArea(f"({lat}, {lng})")
        return found


_CASES = Case.__table__.c  # type: ignore[attr-defined]

# One Core statement built once: SQLAlchemy compiles it on its first use and takes it from its
# compiled cache after (the window and box are bound parameters); the candidates come back as
# rows, not as ORM objects with their identity map and change tracking.
_OPEN_NEARBY = sa.select(
    _CASES.id, _CASES.category, _CASES.status, _CASES.latitude, _CASES.longitude, _CASES.created_at
).where(
    _CASES.kind == "hazard",
    _CASES.category == sa.bindparam("category"),
    _CASES.duplicate_of.is_(None),
    _CASES.status.in_(sorted(OPEN_STATES)),
    _CASES.created_at >= sa.bindparam("since"),
    _CASES.latitude.between(sa.bindparam("min_lat"), sa.bindparam("max_lat")),
    _CASES.longitude.between(sa.bindparam("min_lng"), sa.bindparam("max_lng")),
)


async def find_duplicate(
    session: AsyncSession, triage: Triage, category: str, lat: float, lng: float
) -> Match | None:
    """An open hazard of the same category near this point, filed within the window."""
    policy = triage.duplicates
    if policy.radius_m <= 0:
        return None
    now = triage.now()
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, policy.radius_m)
    params = {
        "category": category,
        "since": now - policy.window,
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lng": min_lng,
        "max_lng": max_lng,
    }
    await session.flush()  # as the ORM query did (autoflush): hazards filed earlier in this unit
    rows = (await session.execute(_OPEN_NEARBY, params)).all()
    candidates = [
        Candidate(r.id, r.category, r.status, r.latitude, r.longitude, r.created_at)
        for r in rows
        if r.latitude is not None and r.longitude is not None
    ]
    return find_original(policy, category, lat, lng, now, candidates)
