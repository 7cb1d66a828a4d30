from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.errors import InvalidField
from services.intake.domain.receipt import local_words, received_moment

NOW = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)


def test_no_received_time_means_the_application_arrived_now():
    assert received_moment(None, None, None, NOW) == (NOW, False)


def test_a_received_time_a_minute_ahead_is_taken_as_now_but_an_hour_ahead_is_refused():
    assert received_moment(NOW + timedelta(minutes=1), None, None, NOW) == (NOW, False)
    with pytest.raises(InvalidField) as refused:
        received_moment(NOW + timedelta(hours=1), None, None, NOW)
    assert refused.value.field == "received_at"


def test_an_earlier_receipt_needs_who_received_it_and_how_and_then_counts_from_then():
    earlier = NOW - timedelta(days=2)
    with pytest.raises(InvalidField) as nobody:
        received_moment(earlier, None, "post", NOW)
    assert nobody.value.field == "received_by"
    with pytest.raises(InvalidField) as no_way:
        received_moment(earlier, "王敏", "pigeon", NOW)
    assert no_way.value.field == "received_via"
    assert received_moment(earlier, "王敏", "in_person", NOW) == (earlier, True)


def test_a_moment_is_written_in_shanghai_time_the_chinese_way():
    assert local_words(datetime(2026, 12, 3, 6, 5, tzinfo=UTC)) == (
        "2026年12月3日 14:05",
        "3 Dec 2026 14:05",
    )
