"""Per-case ordering across replicas, and timers that fire exactly once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from shared.contracts.envelope import Envelope
from shared.messaging import timers
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import FrozenClock
from tests.integration.kit_harness import KIT, KitService, filed_event, metadata
from tests.polling import eventually_async

pytestmark = pytest.mark.integration
TIMER = timers.timer_table(metadata)


async def _events_of_one_case(kit: KitService, n: int) -> list[Envelope]:
    case_id = uuid.uuid4()
    async with kit.uow() as uow:
        for _ in range(n):
            uow.emit(filed_event(case_id))
        await uow.commit()
        return uow.committed_events


async def test_the_outbox_numbers_each_cases_events_in_order(database_url: str, redis_url: str):
    kit = KitService(database_url, redis_url)
    await kit.create_schema()
    try:
        first = await _events_of_one_case(kit, 3)
        assert [e.sequence for e in first] == [1, 2, 3]
        async with kit.uow() as uow:
            uow.emit(filed_event(first[0].case_id))
            uow.emit(filed_event())
            await uow.commit()
            later = uow.committed_events
        assert [e.sequence for e in later] == [4, 1]
    finally:
        await kit.close()


async def test_events_arriving_out_of_order_are_applied_in_order(database_url: str, redis_url: str):
    order: list[int] = []

    async def record(envelope: Envelope, uow: UnitOfWork) -> None:
        order.append(envelope.sequence or 0)

    kit = KitService(database_url, redis_url, handler=record, retry_pauses=(0.02,) * 100)
    await kit.create_schema()
    try:
        events = await _events_of_one_case(kit, 5)
        results = await asyncio.gather(*(kit.consumer.apply(e) for e in reversed(events)))
        assert all(results)
        assert order == [1, 2, 3, 4, 5]
        assert await kit.consumer.apply(events[2]) is False  # a late duplicate changes nothing
    finally:
        await kit.close()


async def test_two_replicas_of_a_consumer_keep_each_cases_order(database_url: str, redis_url: str):
    applied: dict[uuid.UUID, list[int]] = {}

    async def record(envelope: Envelope, uow: UnitOfWork) -> None:
        applied.setdefault(envelope.case_id, []).append(envelope.sequence or 0)

    replicas = [
        KitService(
            database_url, redis_url, handler=record, retry_pauses=(0.02,) * 200, read_batch=1
        )
        for _ in range(2)
    ]
    await replicas[0].create_schema()
    try:
        for replica in replicas:
            await replica.start_consuming()
        await replicas[0].broker.connect()
        cases = [await _events_of_one_case(replicas[0], 6) for _ in range(8)]
        await replicas[0].relay.relay_once()

        async def all_applied() -> bool:
            return sum(len(v) for v in applied.values()) == 48

        await eventually_async(all_applied, timeout=30)
        for events in cases:
            assert applied[events[0].case_id] == [1, 2, 3, 4, 5, 6]
    finally:
        for replica in replicas:
            await replica.close()


async def test_a_backlog_read_two_batches_at_once_keeps_each_cases_order(
    database_url: str, redis_url: str
):
    """#21: a reader applying two batches at once (READ_CONCURRENCY=2) drains a backlog of 24
    cases × 4 events in batches of 5, each case's events in order and once, with no batch
    falling back to one by one (a case's later events never ran beside its earlier ones)."""
    applied: dict[uuid.UUID, list[int]] = {}

    async def record(envelope: Envelope, uow: UnitOfWork) -> None:
        applied.setdefault(envelope.case_id, []).append(envelope.sequence or 0)
        await kit.record(envelope, uow)

    kit = KitService(database_url, redis_url, handler=record, read_batch=5, read_concurrency=2)
    await kit.create_schema()
    try:
        await kit.broker.connect()
        cases = [await _events_of_one_case(kit, 4) for _ in range(24)]
        assert await kit.relay.relay_once() == 96
        await kit.start_consuming()

        async def all_applied() -> bool:
            return await kit.ledger_count() == 96

        await eventually_async(all_applied, timeout=30)
        for events in cases:
            assert applied[events[0].case_id] == [1, 2, 3, 4]
        assert kit.consumer.batch_fallbacks_total == 0
    finally:
        await kit.close()


@pytest.fixture
async def kit_with_timers(database_url: str, redis_url: str):
    kit = KitService(database_url, redis_url)
    await kit.create_schema()
    yield kit
    await kit.close()


async def _fired(kit: KitService) -> list[tuple[uuid.UUID, str]]:
    async with kit.engine.connect() as conn:
        rows = await conn.execute(sa.select(KIT.outbox.c.case_id, KIT.outbox.c.event_type))
        return [(r.case_id, r.event_type) for r in rows]


async def test_a_timer_fires_exactly_once_with_several_schedulers(kit_with_timers: KitService):
    kit = kit_with_timers
    clock = FrozenClock(datetime(2026, 12, 1, tzinfo=UTC))
    due = clock.now() + timedelta(days=15)
    case_ids = [uuid.uuid4() for _ in range(10)]
    async with kit.uow() as uow:
        for case_id in case_ids:
            assert await timers.schedule(uow, TIMER, case_id, "mediation_limit", due)
            assert not await timers.schedule(uow, TIMER, case_id, "mediation_limit", due)
        await uow.commit()

    async def expire(timer: timers.Timer, uow: UnitOfWork) -> None:
        uow.emit(filed_event(timer.case_id))

    schedulers = [timers.TimerScheduler(TIMER, kit.uow, expire, clock) for _ in range(3)]
    assert await schedulers[0].run_once() == 0  # not due yet
    clock.advance(timedelta(days=15))
    await asyncio.gather(*(s.run_once() for s in schedulers))
    await asyncio.gather(*(s.run_once() for s in schedulers))  # after a "restart"
    fired = await _fired(kit)
    assert sorted(c for c, _ in fired) == sorted(case_ids)
    assert sum(s.fired_total for s in schedulers) == 10


async def test_a_cases_timers_are_scheduled_together_and_each_only_once(
    kit_with_timers: KitService,
):
    kit = kit_with_timers
    at = datetime(2026, 12, 1, tzinfo=UTC)
    case_id = uuid.uuid4()
    first = [("ack_warn", at, {"level": 0}), ("ack_due", at + timedelta(hours=4), None)]
    async with kit.uow() as uow:
        assert await timers.schedule_many(uow, TIMER, case_id, first) == 2
        assert await timers.schedule_many(uow, TIMER, case_id, []) == 0
        await uow.commit()
    again = [*first, ("resolve_due", at + timedelta(days=2), None)]  # one new, two known
    async with kit.uow() as uow:
        assert await timers.schedule_many(uow, TIMER, case_id, again) == 1
        await uow.commit()
    async with kit.engine.connect() as conn:
        rows = (
            await conn.execute(sa.select(TIMER.c.kind, TIMER.c.data).order_by(TIMER.c.due_at))
        ).all()
    assert [(r.kind, r.data) for r in rows] == [
        ("ack_warn", {"level": 0}),
        ("ack_due", {}),
        ("resolve_due", {}),
    ]


async def _timer_rows(kit: KitService) -> list[tuple[uuid.UUID, str, datetime | None]]:
    async with kit.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(TIMER.c.case_id, TIMER.c.kind, TIMER.c.cancelled_at).order_by(TIMER.c.due_at)
        )
        return [(r.case_id, r.kind, r.cancelled_at) for r in rows]


async def test_timers_held_for_the_commit_are_written_with_it_and_only_with_it(
    kit_with_timers: KitService,
):
    """A batch's timers go in one statement at the commit: a rollback drops them, a cancel
    in the same transaction still finds them, and a repeat is still a no-op."""
    kit = kit_with_timers
    at = datetime(2026, 12, 1, tzinfo=UTC)
    kept, cancelled = uuid.uuid4(), uuid.uuid4()
    plan = [("ack_warn", at, {"level": 0}), ("ack_due", at + timedelta(hours=4), None)]
    async with kit.uow() as uow:
        await uow.seen(uuid.uuid4())  # the transaction has begun, as in a batch
        await timers.schedule_at_commit(uow, TIMER, kept, plan)
        # rolled back: nothing written
    assert await _timer_rows(kit) == []
    async with kit.uow() as uow:
        await uow.seen(uuid.uuid4())
        await timers.schedule_at_commit(uow, TIMER, kept, plan)
        await timers.schedule_at_commit(uow, TIMER, cancelled, plan[:1])
        await timers.cancel(uow, TIMER, cancelled, ("ack_warn",), at)
        await timers.schedule_at_commit(uow, TIMER, kept, plan[:1])  # again: no-op
        assert await _timer_rows(kit) == []  # not before the commit
        await uow.commit()
    rows = await _timer_rows(kit)
    assert sorted((c == kept, k, x is not None) for c, k, x in rows) == [
        (False, "ack_warn", True),
        (True, "ack_due", False),
        (True, "ack_warn", False),
    ]
    async with kit.uow() as uow:  # outside a transaction: written at once
        await timers.schedule_at_commit(uow, TIMER, kept, plan)
        await uow.commit()
    assert len(await _timer_rows(kit)) == 3


async def test_a_timer_whose_handler_fails_stays_due(kit_with_timers: KitService):
    kit = kit_with_timers
    clock = FrozenClock(datetime(2026, 12, 1, tzinfo=UTC))
    case_id = uuid.uuid4()
    async with kit.uow() as uow:
        await timers.schedule(uow, TIMER, case_id, "performance_due", clock.now())
        await uow.commit()
    calls: list[int] = []

    async def flaky(timer: timers.Timer, uow: UnitOfWork) -> None:
        calls.append(1)
        uow.emit(filed_event(timer.case_id))
        if len(calls) == 1:
            raise RuntimeError("crash mid-fire")

    scheduler = timers.TimerScheduler(TIMER, kit.uow, flaky, clock)
    assert await scheduler.run_once() == 0
    assert await _fired(kit) == []  # the failed firing left nothing behind
    assert await scheduler.run_once() == 1
    assert len(await _fired(kit)) == 1


async def test_a_cancelled_timer_never_fires(kit_with_timers: KitService):
    kit = kit_with_timers
    clock = FrozenClock(datetime(2026, 12, 1, tzinfo=UTC))
    case_id = uuid.uuid4()
    async with kit.uow() as uow:
        await timers.schedule(uow, TIMER, case_id, "mediation_limit", clock.now())
        await timers.cancel(uow, TIMER, case_id, ("mediation_limit",), clock.now())
        await uow.commit()

    async def never(timer: timers.Timer, uow: UnitOfWork) -> None:
        raise AssertionError("fired a cancelled timer")

    assert await timers.TimerScheduler(TIMER, kit.uow, never, clock).run_once() == 0
