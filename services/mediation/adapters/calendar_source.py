"""The PRC calendar's sources (the `chinese-calendar` package, official years from a file),
kept in `shared.platform.calendar.source` (dispatch's station hours read the same calendar)."""

from shared.platform.calendar.source import (
    PACKAGE_SOURCE,
    load_calendar,
    package_years,
    years_from_file,
)

__all__ = ["PACKAGE_SOURCE", "load_calendar", "package_years", "years_from_file"]
