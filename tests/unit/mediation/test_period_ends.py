"""A table of dated cases: where every legal clock ends, computed by hand.

One rule (Civil Code art. 203): the start day
is not counted; when the last day is a rest day or a public holiday of the PRC calendar in
force, the period ends on the next working day, 调休 counted (a weekend worked is a working
day). The calendar is the `chinese-calendar` package (it knows 2004-2026); 2027 and later are
not loaded unless a row loads them, and the clock then says so (`calendar_missing`).

Each row: the clock, the day it starts (for performance: the agreed day; for the limitation:
the day the infringement was known), the day its end falls on, why it moved, whether a year it
relies on is missing. The comment says how the day was counted.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.domain.calendar import CalendarYear, WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    Deadline,
    days_clock,
    deadline,
    limitation_clock,
    performance_clock,
    stored_end,
)
from services.mediation.domain.targets import Target, target_due
from shared.contracts.glossary import REST_REASONS, moved_words

SHANGHAI = ZoneInfo("Asia/Shanghai")
PACKAGE = load_calendar()
# 2027 loaded by an administrator: New Year's Day 2027-01-01 (Fri) to 01-03 (Sun); no names.
WITH_2027 = PACKAGE.with_years(
    [
        CalendarYear(
            year=2027,
            holidays=frozenset(date(2027, 1, d) for d in (1, 2, 3)),
            source="api:2027",
        )
    ]
)


def end_of(clock: str, day: date, calendar: WorkCalendar) -> Deadline:
    """The clock started on `day` at 10:00 Shanghai (performance: agreed for `day`)."""
    at = datetime.combine(day, time(10), SHANGHAI)
    if clock == "mediation_limit":
        return days_clock(ClockName.MEDIATION_LIMIT, at, calendar)
    if clock.startswith("mediation_limit+"):  # a platform-worker limit extended by N days
        extra = int(clock.partition("+")[2])
        return days_clock(ClockName.MEDIATION_LIMIT, at, calendar, extra_days=extra)
    if clock in ("judicial_confirmation", "arbitration_review"):
        return days_clock(ClockName(clock), at, calendar)
    if clock == "performance":
        return performance_clock(day, at - timedelta(days=10), calendar)
    if clock == "arbitration_limitation":
        return limitation_clock(day, calendar)
    assert clock == "acceptance_target"
    target = Target(name=clock, working_days=3)
    due = target_due(target, at, [], calendar)
    assert due is not None
    return deadline(ClockName.ACCEPTANCE_TARGET, day, due, calendar)


D = date
CASES = [
    # --- public holidays -------------------------------------------------------------------
    # 09-16 + 15 = 10-01, National Day (10-01..10-07 off): the 15-day limit ends on Thu 10-08
    ("mediation_limit", D(2026, 9, 16), PACKAGE, D(2026, 10, 8), "national_day", False),
    # 09-01 + 30 = 10-01, National Day: the confirmation window ends on 10-08
    ("judicial_confirmation", D(2026, 9, 1), PACKAGE, D(2026, 10, 8), "national_day", False),
    # 09-10 + 15 = 09-25, Mid-Autumn (Fri) then 26/27 off: ends Mon 09-28
    ("arbitration_review", D(2026, 9, 10), PACKAGE, D(2026, 9, 28), "mid_autumn_festival", False),
    # 02-01 + 15 = 02-16, Spring Festival (02-15..02-23 off): ends Tue 02-24
    ("arbitration_review", D(2026, 2, 1), PACKAGE, D(2026, 2, 24), "spring_festival", False),
    # agreed for 05-01, Labour Day (05-01..05-05 off): performance due by Wed 05-06
    ("performance", D(2026, 5, 1), PACKAGE, D(2026, 5, 6), "labour_day", False),
    # agreed for Fri 06-19, Dragon Boat (06-19..06-21 off): due by Mon 06-22
    ("performance", D(2026, 6, 19), PACKAGE, D(2026, 6, 22), "dragon_boat_festival", False),
    # known 2025-04-05; one year = Sun 2026-04-05, Qingming (04-04..04-06 off): ends Tue 04-07
    ("arbitration_limitation", D(2025, 4, 5), PACKAGE, D(2026, 4, 7), "tomb_sweeping_day", False),
    # known 2025-10-01; one year = 2026-10-01, National Day: ends 10-08
    ("arbitration_limitation", D(2025, 10, 1), PACKAGE, D(2026, 10, 8), "national_day", False),
    # 2024: agreed for Sun 10-06 inside National Day (10-01..10-07): due by Tue 10-08
    ("performance", D(2024, 10, 6), PACKAGE, D(2024, 10, 8), "national_day", False),
    # extended: accepted 09-01, 15 + 15 = 30 days -> 10-01, National Day: ends 10-08
    ("mediation_limit+15", D(2026, 9, 1), PACKAGE, D(2026, 10, 8), "national_day", False),
    # extended by 10: 09-01 + 25 = Sat 09-26, Mid-Autumn's last days: ends Mon 09-28
    ("mediation_limit+10", D(2026, 9, 1), PACKAGE, D(2026, 9, 28), "mid_autumn_festival", False),
    # --- plain weekends ----------------------------------------------------------------------
    # 03-02 + 15 = Tue 03-17, a working day: not moved
    ("mediation_limit", D(2026, 3, 2), PACKAGE, D(2026, 3, 17), None, False),
    # 03-07 + 15 = Sun 03-22: ends Mon 03-23 (a rest day)
    ("mediation_limit", D(2026, 3, 7), PACKAGE, D(2026, 3, 23), "rest_day", False),
    # agreed for Sat 11-07: due by Mon 11-09
    ("performance", D(2026, 11, 7), PACKAGE, D(2026, 11, 9), "rest_day", False),
    # 2025: agreed for Sat 09-27; Sun 09-28 is worked (调休 for National Day): due by Sun 09-28
    ("performance", D(2025, 9, 27), PACKAGE, D(2025, 9, 28), "rest_day", False),
    # --- 调休 working weekends: a weekend worked is a working day, the end stays -------------
    # 09-25 + 15 = Sat 10-10, worked for National Day: stays Sat 10-10
    ("mediation_limit", D(2026, 9, 25), PACKAGE, D(2026, 10, 10), None, False),
    # 09-05 + 15 = Sun 09-20, worked for Mid-Autumn: stays Sun 09-20
    ("mediation_limit", D(2026, 9, 5), PACKAGE, D(2026, 9, 20), None, False),
    # 02-13 + 15 = Sat 02-28, worked for Spring Festival: stays
    ("arbitration_review", D(2026, 2, 13), PACKAGE, D(2026, 2, 28), None, False),
    # agreed for Sat 05-09, worked for Labour Day: stays
    ("performance", D(2026, 5, 9), PACKAGE, D(2026, 5, 9), None, False),
    # acceptance target, 3 working days from Wed 09-30: 10-08, 10-09, then Sat 10-10 (worked)
    ("acceptance_target", D(2026, 9, 30), PACKAGE, D(2026, 10, 10), None, False),
    # --- year ends, periods across two years -------------------------------------------------
    # 2025-12-17 + 15 = Thu 2026-01-01, New Year (01-01..01-03 off); Sun 01-04 is worked
    ("mediation_limit", D(2025, 12, 17), PACKAGE, D(2026, 1, 4), "new_years_day", False),
    # 2023-12-16 + 15 = Sun 2023-12-31, New Year (2023-12-30..2024-01-01 off): Tue 2024-01-02
    ("mediation_limit", D(2023, 12, 16), PACKAGE, D(2024, 1, 2), "new_years_day", False),
    # 2026-12-02 + 30 = Fri 2027-01-01; 2027 not loaded: counted Mon-Fri, a Friday, and said
    ("judicial_confirmation", D(2026, 12, 2), PACKAGE, D(2027, 1, 1), None, True),
    # the same once 2027 is loaded (01-01..01-03 off, no festival names): Mon 2027-01-04
    ("judicial_confirmation", D(2026, 12, 2), WITH_2027, D(2027, 1, 4), "public_holiday", False),
    # 2026-12-17 + 15 = Fri 2027-01-01 without 2027: kept, flagged; with it: Mon 01-04
    ("mediation_limit", D(2026, 12, 17), PACKAGE, D(2027, 1, 1), None, True),
    ("mediation_limit", D(2026, 12, 17), WITH_2027, D(2027, 1, 4), "public_holiday", False),
    # 2026-12-26 is a Saturday: agreed for it, due by Mon 12-28 (same year)
    ("performance", D(2026, 12, 26), PACKAGE, D(2026, 12, 28), "rest_day", False),
    # known 2026-01-02; one year = Sat 2027-01-02, 2027 not loaded: Mon 2027-01-04, flagged
    ("arbitration_limitation", D(2026, 1, 2), PACKAGE, D(2027, 1, 4), "rest_day", True),
    # --- leap years --------------------------------------------------------------------------
    # known 2024-02-29; one year = 2025-02-28 (no 29th), a Friday worked: stays
    ("arbitration_limitation", D(2024, 2, 29), PACKAGE, D(2025, 2, 28), None, False),
    # 2024-02-20 + 15 across 02-29 = Wed 2024-03-06: stays
    ("mediation_limit", D(2024, 2, 20), PACKAGE, D(2024, 3, 6), None, False),
    # 2026-02-20 + 15 (no 02-29) = Sat 03-07: Mon 03-09
    ("mediation_limit", D(2026, 2, 20), PACKAGE, D(2026, 3, 9), "rest_day", False),
    # known 2027-02-28; one year = Mon 2028-02-28 (leap year, not loaded): kept, flagged
    ("arbitration_limitation", D(2027, 2, 28), PACKAGE, D(2028, 2, 28), None, True),
]


@pytest.mark.parametrize(
    ("clock", "start", "calendar", "due", "because", "missing"),
    CASES,
    ids=[f"{c}-{s}-{'2027' if cal is WITH_2027 else 'pkg'}" for c, s, cal, *_ in CASES],
)
def test_every_clock_ends_on_the_hand_computed_day(
    clock: str,
    start: date,
    calendar: WorkCalendar,
    due: date,
    because: str | None,
    missing: bool,
) -> None:
    end = end_of(clock, start, calendar)
    assert end.due_on == due
    assert end.moved_because == because
    assert end.calendar_missing is missing
    assert calendar.is_working_day(end.due_on)
    assert end.expires_at == datetime.combine(due + timedelta(days=1), time(0), SHANGHAI)
    if missing:
        assert end.calendar_source.startswith("weekend-fallback:")
    if because is None:
        assert end.nominal_due_on == end.due_on
    else:
        assert end.nominal_due_on is not None and end.nominal_due_on < end.due_on
        assert because in REST_REASONS  # every reason has its words in the glossary
    # the warnings count back from the moved end
    for days, at in end.warnings:
        assert at == datetime.combine(due - timedelta(days=days), time(9), SHANGHAI)


def test_a_kept_clock_is_read_back_the_same_way():
    """The API and the notices re-read a stored due day: the same last day and reason."""
    made = end_of("mediation_limit+15", D(2026, 9, 1), PACKAGE)
    read = stored_end(
        ClockName.MEDIATION_LIMIT, made.started_on, made.due_on, PACKAGE, extended_days=15
    )
    assert read is not None
    assert (read.nominal_due_on, read.moved_because) == (D(2026, 10, 1), "national_day")
    perf = end_of("performance", D(2026, 5, 1), PACKAGE)
    read = stored_end(
        ClockName.PERFORMANCE, perf.started_on, perf.due_on, PACKAGE, agreed_on=D(2026, 5, 1)
    )
    assert read is not None and read.moved_because == "labour_day"
    flagged = stored_end(ClockName.JUDICIAL_CONFIRMATION, D(2026, 12, 2), D(2027, 1, 1), PACKAGE)
    assert flagged is not None and flagged.calendar_missing
    assert flagged.calendar_source == "weekend-fallback:2027"


def test_the_move_is_said_in_words():
    assert moved_words(D(2026, 10, 8), D(2026, 10, 1), "national_day") == (
        "顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）"
    )
    assert moved_words(D(2026, 10, 8), D(2026, 10, 1), "national_day", "en") == (
        "moved to 8 Oct 2026 (the last day, 1 Oct 2026, fell on the National Day holiday)"
    )
    assert moved_words(D(2026, 3, 17), None, None) == ""
