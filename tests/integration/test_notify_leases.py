"""Two notify replicas on a training clock they follow a moment apart: a lease is wall time,
so the replica that has already moved the business clock ahead does not take a notice the
other is sending (leases guard against crashed senders, not against business dates)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from services.notify.adapters.delivery_store import claim, delivery_of
from services.notify.adapters.outcome import SendOutcome
from services.notify.service_layer.sending import DeliveryWorker, record_outcome
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


async def test_a_sender_whose_lease_ran_out_and_was_taken_over_records_nothing_twice(
    database_url: str, redis_url: str
):
    """The outcome is written from the row as its lease returned it, but only while the row
    still carries that lease: a sender overtaken after its lease ran out reads the row afresh
    (here: already sent by the other), so the notice is announced once."""
    notify = await NotifyUnderTest(database_url, redis_url, smtp_url="mailto://127.0.0.1:1").start()
    try:
        await notify.apply(dispute_filed(uuid.uuid4(), email="li@example.com"))
        [row] = await notify.deliveries(channel="email")
        now = SystemClock().now()
        lease = timedelta(seconds=60)
        async with notify.sessions() as session, session.begin():
            slow = await claim(session, row.id, now, now + lease)
        later = now + lease + timedelta(seconds=1)  # the slow sender's lease has run out
        async with notify.sessions() as session, session.begin():
            fast = await claim(session, row.id, later, later + lease)
        assert slow is not None and fast is not None

        async def record(leased: sa.Row[Any]) -> str | None:
            async with notify.uow() as uow:
                label = await record_outcome(
                    uow,
                    row.id,
                    SendOutcome(ok=True, permanent=False),
                    later,
                    max_attempts=8,
                    backoff_base=2.0,
                    leased=delivery_of(leased),
                )
                await uow.commit()
            return label

        assert await record(fast) == "sent"
        assert await record(slow) is None
        [done] = await notify.deliveries(channel="email")
        assert done.status == "sent" and done.attempts == 1 and done.lease_until is None
        assert len(await notify.outbox("notification.delivered")) == 1
    finally:
        await notify.stop()


async def test_sends_that_return_at_once_are_each_recorded_and_announced_once(
    database_url: str, redis_url: str
):
    """Outcomes returning together share a commit (see `DeliveryWorker._record_one`): every
    one is still recorded once, with its own event, and each send returns only then."""
    notify = await NotifyUnderTest(database_url, redis_url, smtp_url="mailto://127.0.0.1:1").start()
    release = asyncio.Event()
    started: list[str] = []

    async def together(url: str, subject: str, body: str) -> SendOutcome:
        started.append(url)
        await release.wait()
        return SendOutcome(ok=True, permanent=False)

    worker = DeliveryWorker(
        notify.sessions, notify.uow, together, guard=notify.guard, clock=notify.clock
    )
    try:
        for n in range(6):
            await notify.apply(dispute_filed(uuid.uuid4(), email=f"li{n}@example.com"))
        round_ = asyncio.create_task(worker.run_once())

        async def all_in_flight() -> bool:
            return len(started) == 6

        await eventually_async(all_in_flight)
        release.set()
        assert await round_ == 6
        rows = await notify.deliveries(channel="email")
        assert len(rows) == 6
        assert {(r.status, r.attempts, r.lease_until) for r in rows} == {("sent", 1, None)}
        announced = await notify.outbox("notification.delivered")
        assert sorted(e["payload"]["delivery_id"] for e in announced) == sorted(
            str(r.id) for r in rows
        )
    finally:
        release.set()
        await notify.stop()
