"""The day a dispute arose (#19): required unless said unknown; never after today (Shanghai)
nor after the application was received; each refusal names dispute_arose_on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.intake.domain.arose import check_arose_on
from services.intake.domain.errors import InvalidField

# 2026-12-05 17:30 UTC is already 12-06 01:30 in Shanghai
NOW = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)


def test_a_given_day_up_to_today_in_shanghai_is_kept():
    assert check_arose_on(date(2026, 11, 2), False, NOW, NOW) == date(2026, 11, 2)
    assert check_arose_on(date(2026, 12, 6), False, NOW, NOW) == date(2026, 12, 6)


def test_unknown_only_when_said():
    assert check_arose_on(None, True, NOW, NOW) is None
    with pytest.raises(InvalidField) as missing:
        check_arose_on(None, False, NOW, NOW)
    assert missing.value.field == "dispute_arose_on"
    assert "required" in missing.value.message
    with pytest.raises(InvalidField, match="not both"):
        check_arose_on(date(2026, 11, 2), True, NOW, NOW)


@pytest.mark.parametrize(
    ("arose", "received", "rule"),
    [
        (date(2030, 1, 5), NOW, "after today"),  # limitation would run to 2031
        (date(2026, 12, 7), NOW, "after today"),
        (date(2026, 12, 2), datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "after the application"),
    ],
)
def test_a_day_after_today_or_after_receipt_is_refused(arose: date, received: datetime, rule: str):
    with pytest.raises(InvalidField, match=rule) as refused:
        check_arose_on(arose, False, received, NOW)
    assert refused.value.field == "dispute_arose_on"
