"""The PRC working-day calendar, kept in `shared.calendar` (dispatch's station hours use it)."""

from shared.calendar.work_calendar import FALLBACK, CalendarYear, WorkCalendar

__all__ = ["FALLBACK", "CalendarYear", "WorkCalendar"]
