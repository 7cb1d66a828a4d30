"""Roster shifts that seat a body at a station on some weekdays between two local times."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.mediation.domain.roster import Shift

TUE_THU = {
    "body_id": "huaxin-judicial",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-31",
    "station_id": "huaxin-kayou",
    "weekdays": [2, 4],
    "from_time": "09:00",
    "to_time": "17:00",
}


def test_a_weekday_shift_covers_only_its_weekdays_inside_its_run_of_days():
    shift = Shift.model_validate(TUE_THU)
    assert shift.covers(date(2026, 12, 1)) and shift.covers(date(2026, 12, 3))  # Tue, Thu
    assert not shift.covers(date(2026, 12, 2))  # Wednesday
    assert not shift.covers(date(2027, 1, 5))  # a Tuesday after the run


def test_a_shift_without_weekdays_covers_every_day_as_before():
    shift = Shift(body_id="x", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 8))
    assert all(shift.covers(date(2026, 3, d)) for d in range(1, 9))
    assert shift.station_id is None


@pytest.mark.parametrize(
    "wrong",
    [
        {"weekdays": [0]},
        {"weekdays": [8]},
        {"from_time": "17:00", "to_time": "09:00"},
        {"from_time": "09:00:00Z"},
        {"station_id": "Not An Id"},
    ],
)
def test_bad_station_shifts_are_refused(wrong: dict[str, object]):
    with pytest.raises(ValidationError):
        Shift.model_validate(TUE_THU | wrong)
