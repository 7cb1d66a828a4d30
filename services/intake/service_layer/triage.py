"""What filing needs to know beyond the command: places, duplicate rules and the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
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


async def find_duplicate(
    session: AsyncSession, triage: Triage, category: str, lat: float, lng: float
) -> Match | None:
    """An open hazard of the same category near this point, filed within the window."""
    policy = triage.duplicates
    if policy.radius_m <= 0:
        return None
    now = triage.now()
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, policy.radius_m)
    stmt = select(Case).where(
        Case.kind == "hazard",
        Case.category == category,
        col(Case.duplicate_of).is_(None),
        col(Case.status).in_(OPEN_STATES),
        col(Case.created_at) >= now - policy.window,
        col(Case.latitude).between(min_lat, max_lat),
        col(Case.longitude).between(min_lng, max_lng),
    )
    rows = (await session.exec(stmt)).all()
    candidates = [
        Candidate(c.id, c.category, c.status, c.latitude, c.longitude, c.created_at)
        for c in rows
        if c.latitude is not None and c.longitude is not None
    ]
    return find_original(policy, category, lat, lng, now, candidates)
