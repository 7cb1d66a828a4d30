"""The PRC working-day calendar, kept in `shared.platform.calendar` (dispatch's station hours
use it)."""

from shared.platform.calendar.work_calendar import FALLBACK, CalendarYear, WorkCalendar

__all__ = ["FALLBACK", "CalendarYear", "WorkCalendar"]
