"""The committee's configuration forms in words: weekdays, calendar sources, shifts, years."""

from __future__ import annotations

from services.console.entrypoints.roster_pages import (
    calendar_body,
    calendar_source,
    shift_body,
    weekday_words,
)


def test_weekdays_read_as_people_name_them_and_none_means_every_day():
    assert weekday_words([2, 4], "zh") == "周二、周四"
    assert weekday_words([], "zh") == "每天"
    assert weekday_words([1, 7], "en") == "Mon, Sun"


def test_a_years_source_is_said_in_words_never_as_its_label():
    assert calendar_source("weekend-fallback:2031", "zh") == "未载入官方安排，按周一至周五推算"
    assert calendar_source("api:国办发明电〔2030〕号", "zh") == "调委会载入：国办发明电〔2030〕号"
    assert calendar_source("chinese-calendar 1.10.0", "zh") == "系统内置（国务院节假日安排）"
    assert calendar_source("weekend-fallback:2031", "en").startswith("Not loaded")


def test_the_shift_form_becomes_mediations_shift_leaving_empty_fields_to_its_defaults():
    form = {
        "body_id": "huaxin-judicial",
        "starts_on": "2026-12-07",
        "ends_on": "2026-12-13",
        "from_time": "",
        "to_time": "18:00",
        "station_id": " ",
        "note": " 节后补班 ",
    }
    assert shift_body(form, ["4", "2", "2", "x"]) == {
        "body_id": "huaxin-judicial",
        "starts_on": "2026-12-07",
        "ends_on": "2026-12-13",
        "note": "节后补班",
        "weekdays": [2, 4],
        "to_time": "18:00",
    }


def test_a_years_dates_may_be_typed_one_per_line_or_with_commas():
    body = calendar_body(2031, {"holidays": "2031-01-01\n2031-10-01，2031-10-02", "source": ""})
    assert body == {
        "year": 2031,
        "holidays": ["2031-01-01", "2031-10-01", "2031-10-02"],
        "workdays": [],
        "source": "未注明文件",
    }
