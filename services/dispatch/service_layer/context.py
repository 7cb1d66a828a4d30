"""What every dispatch use case needs besides the unit of work: the clock, the loop's window,
and for stations the district, the holiday calendar and the reach speeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.dispatch.adapters.district_file import load_district
from services.dispatch.domain.reach import Reach
from services.dispatch.domain.stations import District
from shared.platform.calendar.source import load_calendar
from shared.platform.calendar.work_calendar import WorkCalendar
from shared.platform.clock import Clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Context:
    clock: Clock
    # How long a reporter has to answer "is it fixed?" before it closes as resolved-unconfirmed.
    confirmation_window: timedelta = timedelta(days=7)
    district: District = field(default_factory=load_district)
    # The same PRC calendar as mediation's legal clocks ("closed on public holidays").
    calendar: WorkCalendar = field(default_factory=load_calendar)
    reach: Reach = field(default_factory=Reach)

    def local_now(self) -> datetime:
        """Now in Asia/Shanghai: opening hours and duty are local times."""
        return self.clock.now().astimezone(SHANGHAI)
