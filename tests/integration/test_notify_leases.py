"""Two notify replicas on a training clock they follow a moment apart: a lease is wall time,
so the replica that has already moved the business clock ahead does not take a notice the
other is sending (leases guard against crashed senders, not against business dates)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from services.notify.adapters.outcome import SendOutcome
from services.notify.service_layer.sending import DeliveryWorker
from shared.platform.clock import FrozenClock, SystemClock
from tests.integration.notify_harness import DAYTIME, NotifyUnderTest, dispute_filed
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


async def test_a_replica_whose_training_clock_moved_ahead_does_not_take_a_notice_in_flight(
    database_url: str, redis_url: str
):
    notify = await NotifyUnderTest(database_url, redis_url, smtp_url="mailto://127.0.0.1:1").start()
    release = asyncio.Event()
    sent: list[str] = []

    async def slow_send(url: str, subject: str, body: str) -> SendOutcome:
        sent.append(url)
        await release.wait()
        return SendOutcome(ok=True, permanent=False)

    def replica(business: FrozenClock) -> DeliveryWorker:
        return DeliveryWorker(
            notify.sessions,
            notify.uow,
            slow_send,
            guard=notify.guard,
            clock=business,
            lease_clock=SystemClock(),
        )

    behind, ahead = replica(FrozenClock(DAYTIME)), replica(FrozenClock(DAYTIME + timedelta(days=2)))
    try:
        await notify.apply(dispute_filed(uuid.uuid4(), email="li@example.com"))
        [row] = await notify.deliveries(channel="email")
        first = asyncio.create_task(behind.run_once())

        async def in_flight() -> bool:
            return bool(sent)

        await eventually_async(in_flight)
        # The other replica's business clock is two days on; the lease is still running.
        assert await ahead.run_once() == 0
        assert len(sent) == 1
        release.set()
        assert await first == 1
        [done] = await notify.deliveries(channel="email")
        assert done.id == row.id and done.status == "sent" and done.attempts == 1
    finally:
        release.set()
        await notify.stop()
