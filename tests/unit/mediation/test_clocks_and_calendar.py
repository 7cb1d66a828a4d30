"""Legal clocks, the PRC working-day calendar and paused service targets: pure rules, no I/O."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.domain.calendar import CalendarYear, WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    check_extension,
    days_clock,
    limitation_clock,
    performance_clock,
    plus_one_year,
)
from services.mediation.domain.errors import AgainstTheRules, Incomplete
from services.mediation.domain.targets import Target, pauses, target_due, working_days_used

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = load_calendar()


def test_the_package_calendar_knows_2026_holidays_and_make_up_days():
    assert not CAL.is_working_day(date(2026, 10, 1))  # National Day
    assert not CAL.is_working_day(date(2026, 9, 25))  # Mid-Autumn
    assert CAL.is_working_day(date(2026, 10, 10))  # a Saturday worked (调休)
    assert CAL.is_working_day(date(2026, 2, 14))
    assert CAL.source(date(2026, 5, 1)).startswith("chinese-calendar")


def test_a_year_the_package_does_not_know_falls_back_to_weekdays_and_says_so():
    assert CAL.is_working_day(date(2027, 1, 4))  # a Monday
    assert not CAL.is_working_day(date(2027, 1, 9))  # a Saturday
    assert CAL.source(date(2027, 1, 4)) == "weekend-fallback:2027"


def test_an_official_year_loaded_later_replaces_the_fallback():
    year = CalendarYear(
        year=2027,
        holidays=frozenset({date(2027, 1, 1)}),
        workdays=frozenset({date(2027, 2, 20)}),
        source="file:2027.json",
    )
    calendar = CAL.with_years([year])
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 2, 20))
    assert calendar.source(date(2027, 3, 1)) == "file:2027.json"


def test_the_start_day_is_not_counted_and_the_clock_runs_out_at_midnight_local():
    received = datetime(2026, 3, 2, 15, 59, tzinfo=UTC)  # 23:59 on 03-02 in Shanghai
    due = days_clock(ClockName.MEDIATION_LIMIT, received, CAL)
    assert (due.started_on, due.due_on) == (date(2026, 3, 2), date(2026, 3, 17))
    assert due.expires_at == datetime(2026, 3, 18, tzinfo=SHANGHAI)
    assert [(d, at.astimezone(SHANGHAI).date()) for d, at in due.warnings] == [
        (5, date(2026, 3, 12)),
        (2, date(2026, 3, 15)),
    ]
    next_day = days_clock(ClockName.MEDIATION_LIMIT, received + timedelta(minutes=2), CAL)
    assert next_day.due_on == date(2026, 3, 18)  # 00:01 local is the next day


def test_the_mediation_limit_ending_on_a_holiday_ends_on_the_next_working_day():
    # Civil Code art. 203 holds for every period, the body's own 15-day limit included
    due = days_clock(ClockName.MEDIATION_LIMIT, datetime(2026, 9, 16, 2, tzinfo=UTC), CAL)
    assert (due.nominal_due_on, due.due_on) == (date(2026, 10, 1), date(2026, 10, 8))
    assert due.moved_because == "national_day" and not due.calendar_missing
    assert due.expires_at == datetime(2026, 10, 9, tzinfo=SHANGHAI)
    # the warnings count back from the moved end: 5 and 2 days before 10-08
    assert [(d, at.astimezone(SHANGHAI)) for d, at in due.warnings] == [
        (5, datetime(2026, 10, 3, 9, tzinfo=SHANGHAI)),
        (2, datetime(2026, 10, 6, 9, tzinfo=SHANGHAI)),
    ]


def test_a_party_window_ending_on_a_holiday_ends_on_the_next_working_day():
    effective = datetime(2026, 9, 1, 2, tzinfo=UTC)
    due = days_clock(ClockName.JUDICIAL_CONFIRMATION, effective, CAL)
    assert due.due_on == date(2026, 10, 8)  # 10-01 is a holiday; 10-08 the first working day
    review = days_clock(ClockName.ARBITRATION_REVIEW, datetime(2026, 9, 10, 2, tzinfo=UTC), CAL)
    assert review.due_on == date(2026, 9, 28)  # 09-25 Mid-Autumn, 26/27 weekend


def test_the_limitation_period_is_one_year_from_knowing_of_the_infringement():
    assert plus_one_year(date(2024, 2, 29)) == date(2025, 2, 28)
    due = limitation_clock(date(2025, 11, 3), CAL)
    assert due.due_on == date(2026, 11, 3)
    assert [d for d, _ in due.warnings] == [30, 7]


def test_the_performance_clock_is_the_agreed_day_moved_off_a_holiday():
    due = performance_clock(date(2026, 9, 30), datetime(2026, 9, 20, tzinfo=UTC), CAL)
    assert due.due_on == date(2026, 9, 30) and due.moved_because is None
    due = performance_clock(date(2026, 10, 1), datetime(2026, 9, 20, tzinfo=UTC), CAL)
    assert (due.nominal_due_on, due.due_on) == (date(2026, 10, 1), date(2026, 10, 8))


def test_an_extension_needs_both_consents_at_most_fifteen_days_and_only_once():
    check_extension(15, False, (True, True))
    with pytest.raises(Incomplete) as err:
        check_extension(10, False, (False, True))
    assert err.value.field == "complainant_consent"
    with pytest.raises(Incomplete):
        check_extension(16, False, (True, True))
    with pytest.raises(AgainstTheRules):
        check_extension(5, True, (True, True))


def test_a_target_counts_working_days_and_skips_holidays():
    start = datetime(2026, 9, 30, 2, tzinfo=UTC)
    assert target_due(Target(name="acceptance_target", working_days=3), start, [], CAL) == date(
        2026, 10, 10
    )  # 10-08, 10-09, then the make-up Saturday 10-10


def test_pauses_come_from_the_state_history():
    t = datetime(2026, 3, 2, 2, tzinfo=UTC)
    history = [
        (t, "in_mediation"),
        (t + timedelta(days=1), "waiting_party"),
        (t + timedelta(days=3), "in_mediation"),
        (t + timedelta(days=4), "waiting_party"),
    ]
    intervals = pauses(history, frozenset({"waiting_party"}))
    assert intervals == [
        (t + timedelta(days=1), t + timedelta(days=3)),
        (t + timedelta(days=4), None),
    ]
    target = Target(name="mediation_target", working_days=5)
    assert target_due(target, t, intervals, CAL) is None  # paused now: no due day
    closed = intervals[:1]
    assert target_due(target, t, closed, CAL) == date(2026, 3, 12)
    used = working_days_used(t, t + timedelta(days=7), closed, CAL)
    assert used == 2  # Fri 03-06 and Mon 03-09; Tue-Thu were paused


def test_a_calendar_with_nothing_loaded_is_weekdays_only():
    bare = WorkCalendar({})
    assert bare.add_working_days(date(2026, 10, 1), 1) == date(2026, 10, 2)
    assert bare.sources_between(date(2026, 12, 30), date(2027, 1, 2)) == [
        "weekend-fallback:2026",
        "weekend-fallback:2027",
    ]
