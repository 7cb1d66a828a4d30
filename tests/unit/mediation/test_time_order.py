"""Time order (#19): nothing recorded as having happened before it could; each refusal names
the field whose time has not come, and reads in Chinese through the glossary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.mediation.domain.errors import TooEarly
from services.mediation.domain.time_order import (
    check_held,
    check_non_performance,
    check_performance_recordable,
)
from shared.contracts.glossary.errors import reason

STARTS = datetime(2026, 12, 10, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


def test_a_session_is_held_from_its_start_on():
    check_held(STARTS, STARTS)
    check_held(STARTS, STARTS + timedelta(days=1))
    for early in (STARTS - timedelta(days=5), STARTS - timedelta(seconds=1)):
        with pytest.raises(TooEarly) as refused:
            check_held(STARTS, early)
        assert refused.value.field == "starts_at"
        assert reason(str(refused.value), 409) == "会议开始时间未到，不能记录为已举行"


def test_performance_only_once_the_agreement_binds():
    check_performance_recordable(STARTS, STARTS)
    for effective in (None, STARTS + timedelta(minutes=1)):
        with pytest.raises(TooEarly) as refused:
            check_performance_recordable(effective, STARTS)
        assert refused.value.field == "agreement_effective_at"
        assert reason(str(refused.value), 409) == "调解协议生效前不能记录履行情况"


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        (datetime(2026, 12, 3, 2, 0, tzinfo=UTC), False),  # a week before
        (datetime(2026, 12, 10, 15, 59, tzinfo=UTC), False),  # 23:59 of the last day
        (datetime(2026, 12, 10, 16, 0, tzinfo=UTC), True),  # 00:00 the day after, Shanghai
        (datetime(2027, 1, 5, 2, 0, tzinfo=UTC), True),
    ],
)
def test_non_performance_only_after_the_last_day(now: datetime, allowed: bool):
    last_day = date(2026, 12, 10)
    if allowed:
        check_non_performance(last_day, now)
        return
    with pytest.raises(TooEarly) as refused:
        check_non_performance(last_day, now)
    assert refused.value.field == "performance_deadline"
    assert "2026-12-10" in str(refused.value)
    assert reason(str(refused.value), 409) == "履行期限届满前不能记录未履行"


def test_without_an_agreed_period_there_is_nothing_to_wait_for():
    check_non_performance(None, STARTS)
