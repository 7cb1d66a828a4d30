"""The PRC working-day calendar from the `chinese-calendar` package, plus official years loaded
by an administrator (a JSON file or the API), which take precedence over the package.

File format: `{"years": [{"year": 2027, "holidays": ["2027-01-01", ...],
"workdays": ["2027-02-20", ...]}]}` — `workdays` are the weekend days worked (调休).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants

from shared.platform.calendar.work_calendar import CalendarYear, WorkCalendar

PACKAGE_SOURCE = f"chinese-calendar {getattr(chinese_calendar, '__version__', '?')}"


def package_years() -> list[CalendarYear]:
    holidays: dict[int, set[date]] = defaultdict(set)
    workdays: dict[int, set[date]] = defaultdict(set)
    for day in constants.holidays:
        holidays[day.year].add(day)
    for day in constants.workdays:
        workdays[day.year].add(day)
    return [
        CalendarYear(
            year=year,
            holidays=frozenset(holidays[year]),
            workdays=frozenset(workdays[year]),
            source=PACKAGE_SOURCE,
        )
        for year in sorted(set(holidays) | set(workdays))
    ]


def years_from_file(path: Path) -> list[CalendarYear]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        CalendarYear.model_validate({"source": f"file:{path.name}", **item})
        for item in data.get("years", [])
    ]


def package_names() -> dict[date, str]:
    """Each package holiday day's festival code: 2026-10-01 -> "national_day"."""
    return {day: constants.Holiday(name).name for day, name in constants.holidays.items()}


def load_calendar(path: Path | None = None) -> WorkCalendar:
    calendar = WorkCalendar({y.year: y for y in package_years()}, package_names())
    return calendar.with_years(years_from_file(path)) if path else calendar
