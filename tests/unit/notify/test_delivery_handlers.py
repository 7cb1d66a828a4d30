"""Recording a send's outcome on a fake unit of work: the worker's service layer, no I/O."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime

from services.notify.adapters.outcome import SendOutcome
from services.notify.domain.delivery import Delivery
from services.notify.service_layer.sending import record_outcome
from shared.platform.clock import FrozenClock
from tests.unit.fake_uow import FakeUnitOfWork

NOW = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)


class FakeDeliveryRepository:
    """Hands out copies and keeps what is saved (a forgotten save loses the change)."""

    def __init__(self, *deliveries: Delivery) -> None:
        self.stored = {d.id: copy.deepcopy(d) for d in deliveries}

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        found = self.stored.get(delivery_id)
        return None if found is None else copy.deepcopy(found)

    async def save(self, delivery: Delivery) -> None:
        kept = copy.deepcopy(delivery)
        kept.events = []
        self.stored[delivery.id] = kept


def queued() -> Delivery:
    return Delivery(
        id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        event_type="hazard.dispatched",
        case_id=uuid.uuid4(),
        party_role="reporter",
        channel="webhook",
        subject="通知",
        body="已派单",
        next_attempt_at=NOW,
    )


async def record(repo: FakeDeliveryRepository, delivery_id: uuid.UUID, outcome: SendOutcome):
    uow = FakeUnitOfWork("notify", FrozenClock(NOW), deliveries=repo)
    async with uow:
        label = await record_outcome(
            uow, delivery_id, outcome, NOW, max_attempts=2, backoff_base=2.0
        )
        await uow.commit()
    return label, uow.committed_events


async def test_a_send_that_went_through_is_saved_sent_and_announced_with_its_cause():
    delivery = queued()
    repo = FakeDeliveryRepository(delivery)
    label, events = await record(repo, delivery.id, SendOutcome(ok=True, permanent=False))
    assert label == "sent"
    assert repo.stored[delivery.id].status == "sent"
    (event,) = events
    assert (event.event_type, event.causation_id, event.case_id) == (
        "notification.delivered",
        delivery.event_id,
        delivery.case_id,
    )


async def test_a_failed_send_is_retried_then_given_up_and_announced_once():
    delivery = queued()
    repo = FakeDeliveryRepository(delivery)
    down = SendOutcome(ok=False, permanent=False, error="timeout")
    assert await record(repo, delivery.id, down) == ("retry", [])
    assert repo.stored[delivery.id].attempts == 1
    label, events = await record(repo, delivery.id, down)
    assert label == "failed"
    assert [e.event_type for e in events] == ["notification.failed"]
    assert events[0].payload["error"] == "timeout"


async def test_an_outcome_for_a_delivery_already_done_changes_nothing():
    delivery = queued()
    repo = FakeDeliveryRepository(delivery)
    await record(repo, delivery.id, SendOutcome(ok=True, permanent=False))
    again = await record(repo, delivery.id, SendOutcome(ok=False, permanent=True, error="x"))
    assert again == (None, [])
    assert repo.stored[delivery.id].status == "sent"
    assert await record(repo, uuid.uuid4(), SendOutcome(ok=True, permanent=False)) == (None, [])
