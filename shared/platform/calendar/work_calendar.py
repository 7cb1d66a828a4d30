"""The PRC working-day calendar: statutory holidays and make-up working days (调休).

The State Council publishes each year's arrangement around November, so a calendar knows a
finite set of years. For a year it does not know, this calendar does NOT pretend: it falls
back to "Monday to Friday are working days", and `source(day)` says so, so every date computed
with the fallback is labelled (the committee sees `weekend-fallback:2027`). An administrator
loads the official arrangement (a file or the API) to replace the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

FALLBACK = "weekend-fallback"


class CalendarYear(BaseModel):
    """One year's official arrangement: days off that are not weekends, weekends worked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=2000, le=2100)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = Field(
        default=frozenset(), description="make-up working days (调休) falling on weekends"
    )
    source: str = Field(default="official", max_length=100)


class WorkCalendar:
    """Answers "is this a working day?" for known years, and labels the answer's source.

    `names` gives a holiday day its festival's code (`national_day`, `spring_festival`...,
    the glossary's `rest_reason` words) where the source knows it (the package does; a year an
    administrator loads has days off without names).
    """

    def __init__(
        self, years: Mapping[int, CalendarYear], names: Mapping[date, str] | None = None
    ) -> None:
        self._years = dict(years)
        self._names = dict(names or {})

    def with_years(self, years: Iterable[CalendarYear]) -> WorkCalendar:
        """A copy where these years replace what was known (an administrator's upload)."""
        return WorkCalendar({**self._years, **{y.year: y for y in years}}, self._names)

    def covers(self, year: int) -> bool:
        return year in self._years

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def source(self, day: date) -> str:
        known = self._years.get(day.year)
        return known.source if known else f"{FALLBACK}:{day.year}"

    def is_working_day(self, day: date) -> bool:
        known = self._years.get(day.year)
        if known is None:
            return day.weekday() < 5
        if day in known.workdays:
            return True
        return day.weekday() < 5 and day not in known.holidays

    def is_public_holiday(self, day: date) -> bool:
        """A statutory holiday day off (a station "closed on public holidays" is closed).

        A year the calendar does not know has no known holidays: nothing is closed for one.
        """
        known = self._years.get(day.year)
        return known is not None and day in known.holidays

    def holiday_name(self, day: date) -> str | None:
        """The festival code of a statutory holiday day off, when the source names it."""
        return self._names.get(day) if self.is_public_holiday(day) else None

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(
        self, start: date, n: int, skip: Callable[[date], bool] = lambda _d: False
    ) -> date:
        """The n-th working day after `start` (start not counted), ignoring `skip` days."""
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day) and not skip(day):
                counted += 1
        return day

    def sources_between(self, start: date, end: date) -> list[str]:
        """Every calendar source a computation over [start, end] relied on."""
        return sorted({self.source(date(y, 1, 1)) for y in range(start.year, end.year + 1)})
