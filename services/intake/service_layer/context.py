"""Intake's context (the one name every service gives it): what filing needs to know beyond
the command: places, duplicate rules, the time, and the cipher that seals ID numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.intake.adapters.jurisdictions import Jurisdiction, JurisdictionMap
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.domain.duplicates import DuplicatePolicy, Match, find_original
from services.intake.domain.errors import OutsideServiceArea
from services.intake.domain.geo import bounding_box
from services.intake.domain.repository import CaseRepository
from shared.platform.clock import Clock, SystemClock


@dataclass(frozen=True)
class Context:
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
    cases: CaseRepository, ctx: Context, category: str, lat: float, lng: float
) -> Match | None:
    """An open hazard of the same category near this point, filed within the window."""
    policy = ctx.duplicates
    if policy.radius_m <= 0:
        return None
    now = ctx.now()
    box = bounding_box(lat, lng, policy.radius_m)
    candidates = await cases.open_hazards_near(category, now - policy.window, box)
    return find_original(policy, category, lat, lng, now, candidates)
