"""Opening hours: weekday ranges, overnight ranges, public holidays on the PRC calendar."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.dispatch.domain.errors import InvalidStation
from services.dispatch.domain.opening_hours import parse_opening_hours
from shared.platform.calendar.source import load_calendar

CAL = load_calendar()


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm)


def test_weekday_ranges_are_open_inside_and_closed_outside():
    hours = parse_opening_hours("周一至周五 09:00-17:00")
    assert hours.is_open(at(2026, 12, 3, 9), CAL.is_public_holiday)  # Thursday 09:00
    assert not hours.is_open(at(2026, 12, 3, 17), CAL.is_public_holiday)  # the end is closed
    assert not hours.is_open(at(2026, 12, 5, 10), CAL.is_public_holiday)  # Saturday


def test_an_overnight_range_runs_past_midnight_into_the_next_day():
    hours = parse_opening_hours("周五 20:00-02:00")
    assert hours.is_open(at(2026, 12, 4, 23, 30), CAL.is_public_holiday)  # Friday night
    assert hours.is_open(at(2026, 12, 5, 1, 59), CAL.is_public_holiday)  # Saturday small hours
    assert not hours.is_open(at(2026, 12, 5, 2), CAL.is_public_holiday)
    assert not hours.is_open(at(2026, 12, 4, 1), CAL.is_public_holiday)  # Thursday's night: none


def test_a_station_closed_on_public_holidays_is_closed_on_national_day():
    hours = parse_opening_hours("每天 08:00-20:00；法定节假日休息")
    assert not hours.is_open(at(2026, 10, 1, 10), CAL.is_public_holiday)  # National Day
    assert hours.is_open(at(2026, 10, 10, 10), CAL.is_public_holiday)  # an ordinary Saturday


def test_the_night_before_a_holiday_stays_open_until_its_end_and_the_holiday_night_is_closed():
    hours = parse_opening_hours("每天 20:00-02:00；节假日休息")
    assert hours.is_open(at(2026, 10, 1, 1), CAL.is_public_holiday)  # began on 30 September
    assert not hours.is_open(at(2026, 10, 1, 21), CAL.is_public_holiday)  # begins on the holiday
    assert not hours.is_open(at(2026, 10, 2, 1), CAL.is_public_holiday)


def test_a_station_open_on_holidays_ignores_the_calendar():
    hours = parse_opening_hours("24小时")
    assert hours.is_open(at(2026, 10, 1, 3), CAL.is_public_holiday)
    assert hours.describe() == "每天 00:00–24:00；法定节假日照常开放"


def test_english_day_names_several_ranges_and_a_closed_day_are_understood():
    hours = parse_opening_hours("Mo-Fr 09:00-12:00, 13:30-17:30; Sa 10:00-14:00; Su off; PH off")
    assert hours.closed_on_holidays
    assert not hours.is_open(at(2026, 12, 3, 12, 30), CAL.is_public_holiday)  # lunch break
    assert hours.is_open(at(2026, 12, 5, 13), CAL.is_public_holiday)
    assert hours.describe().startswith("周一至周五 09:00–12:00、13:30–17:30；周六 10:00–14:00")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "早上九点到下午五点",
        "周一至周五",
        "周八 09:00-17:00",
        "每天 09:00-09:00",
        "每天 09:61-10:00",
    ],
)
def test_hours_that_do_not_parse_name_the_field_and_say_why(text: str):
    with pytest.raises(InvalidStation) as raised:
        parse_opening_hours(text)
    assert raised.value.field == "opening_hours"
    assert "营业时间" in str(raised.value)
