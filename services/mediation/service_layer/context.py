"""What the use cases need besides a unit of work: time, the calendar, the policies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.roster import Roster
from services.mediation.domain.targets import Target
from shared.platform.clock import utc_now

# station id -> "name（town address）", None when unknown or closed (dispatch's public API)
StationPlace = Callable[[str], Awaitable[str | None]]


@dataclass
class Policy:
    auto_accept: bool = False
    acceptance_target: Target = field(
        default_factory=lambda: Target(name="acceptance_target", working_days=3)
    )
    mediation_target: Target = field(
        default_factory=lambda: Target(name="mediation_target", working_days=10)
    )
    pattern_threshold: int = 5
    pattern_window_days: int = 42
    due_soon_days: int = 3


@dataclass
class Context:
    """Built once in `create_app`; `calendar` is replaced when an administrator loads a year."""

    roster_file: Roster
    calendar: WorkCalendar
    policy: Policy = field(default_factory=Policy)
    now: Callable[[], datetime] = utc_now
    agreement_font: Path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    # A station's "name（address）" by its id (dispatch's register), for a session's place.
    station_place: StationPlace | None = None
