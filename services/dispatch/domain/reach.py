"""Distance on the ground and the minutes it takes on foot (80 m/min) and by e-bike (250)."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

EARTH_RADIUS_M = 6_371_008.8


class Reach(BaseModel):
    """Speeds of the 15-minute circle: walking 80 m/min, e-bike 250 m/min unless configured."""

    model_config = ConfigDict(frozen=True)

    walk_m_per_min: float = Field(default=80, gt=0)
    ebike_m_per_min: float = Field(default=250, gt=0)
    circle_minutes: float = Field(default=15, gt=0)

    def walk_minutes(self, metres: float) -> int:
        return max(1, math.ceil(metres / self.walk_m_per_min - 1e-9))

    def ebike_minutes(self, metres: float) -> int:
        return max(1, math.ceil(metres / self.ebike_m_per_min - 1e-9))

    def circle_metres(self, mode: str) -> float:
        speed = self.walk_m_per_min if mode == "walk" else self.ebike_m_per_min
        return self.circle_minutes * speed


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
