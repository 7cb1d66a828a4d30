"""The Delivery aggregate: one message's attempts, its next due time and its outcome events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.delivery import Delivery

NOW = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)


def queued(event_type: str = "hazard.dispatched", body: str = "已派单") -> Delivery:
    return Delivery(
        id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        event_type=event_type,
        case_id=uuid.uuid4(),
        party_role="reporter",
        channel="webhook",
        subject="通知",
        body=body,
        next_attempt_at=NOW,
        lease_until=NOW + timedelta(minutes=1),
    )


def test_a_sent_delivery_is_done_and_announces_it_with_its_attempts():
    delivery = queued()
    delivery.sent(NOW)
    assert (delivery.status, delivery.sent_at, delivery.attempts) == ("sent", NOW, 1)
    assert delivery.lease_until is None
    (event,) = delivery.events
    assert event.event_type == "notification.delivered"
    assert event.payload.model_dump()["attempts"] == 1


def test_a_passing_failure_is_due_again_later_and_announces_nothing():
    delivery = queued()
    assert not delivery.not_sent("timeout", permanent=False, now=NOW, max_attempts=3)
    assert delivery.status == "queued"
    assert delivery.last_error == "timeout"
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > NOW
    assert delivery.events == []


def test_a_permanent_failure_gives_up_at_once():
    delivery = queued()
    assert delivery.not_sent("550 no such mailbox", permanent=True, now=NOW, max_attempts=8)
    assert delivery.status == "failed"
    assert [e.event_type for e in delivery.events] == ["notification.failed"]


def test_the_last_attempt_gives_up():
    delivery = queued()
    assert not delivery.not_sent("timeout", permanent=False, now=NOW, max_attempts=2)
    assert delivery.not_sent("timeout", permanent=False, now=NOW, max_attempts=2)
    assert (delivery.status, delivery.attempts) == ("failed", 2)


def test_a_sign_in_code_is_masked_once_it_has_left_but_kept_while_it_may_be_retried():
    delivery = queued("rider.code_requested", "验证码 123456")
    delivery.not_sent("timeout", permanent=False, now=NOW, max_attempts=3)
    assert delivery.body == "验证码 123456"
    delivery.sent(NOW)
    assert delivery.body == "验证码 ******"


def test_a_delivery_no_longer_queued_takes_no_outcome():
    delivery = queued()
    delivery.sent(NOW)
    with pytest.raises(ValueError):
        delivery.sent(NOW)
