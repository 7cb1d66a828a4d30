"""The batch reader never dies: a failure while applying a batch is logged and retried.

Found by the long Redis-kill chaos run: after Redis came back, dispatch's reader task ended
with an exception nobody awaited, its group stopped advancing and 700 acknowledged tickets
waited forever while the process still answered its health checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import structlog.testing
from redis.asyncio import Redis

from shared.messaging.consumer import ConsumerConfig, RawEntry
from shared.messaging.reader import StreamReader
from shared.platform.runtime import stop_tasks
from tests.polling import eventually_async

pytestmark = pytest.mark.integration

STREAM = "waystation.test-reader"


class FlakyConsumer:
    """Fails its first batch with an unexpected error, then applies every entry."""

    def __init__(self) -> None:
        self.config = ConsumerConfig(service="reader-test", instance="r1")
        self.failures = 0
        self.applied: list[bytes] = []

    async def apply_entries(self, stream: str, entries: list[RawEntry]) -> list[str]:
        if self.failures == 0:
            self.failures += 1
            raise RuntimeError("an unexpected reply from a half-recovered connection")
        self.applied.extend(body for _id, body, _h in entries)
        return [entry_id for entry_id, _b, _h in entries]


async def test_an_unexpected_error_does_not_end_the_reader(redis_url: str):
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    consumer = FlakyConsumer()
    reader = StreamReader(redis, consumer, STREAM, count=10, block_ms=100)  # type: ignore[arg-type]
    task = asyncio.create_task(reader.run())
    try:
        await redis.xadd(STREAM, {"__data__": b"first"})

        async def failed_once() -> bool:
            return consumer.failures == 1

        await eventually_async(failed_once, timeout=5)
        await redis.xadd(STREAM, {"__data__": b"second"})

        async def applied() -> bool:
            return bool(consumer.applied)

        await eventually_async(applied, timeout=5)
        assert not task.done(), "the reader ended after one failed batch"
        # The failed batch stays pending for the reclaimer; the reader carried on with new entries.
        assert consumer.applied == [b"second"]

        async def only_the_failed_one_pending() -> bool:
            return (await redis.xpending(STREAM, "reader-test"))["pending"] == 1

        await eventually_async(only_the_failed_one_pending, timeout=5)
    finally:
        await stop_tasks([task])
        await redis.aclose()


class SlowConsumer:
    """Takes longer over its batch than the reclaim idle time."""

    def __init__(self, seconds: float) -> None:
        self.config = ConsumerConfig(service="reader-test", instance="r1", reclaim_idle_ms=300)
        self.seconds = seconds
        self.started = asyncio.Event()

    async def apply_entries(self, stream: str, entries: list[RawEntry]) -> list[str]:
        self.started.set()
        await asyncio.sleep(self.seconds)
        return [entry_id for entry_id, _b, _h in entries]


async def test_a_slow_batch_stays_claimed_by_its_reader(redis_url: str):
    """The reclaimer finds nothing idle while the reader is still working on its batch."""
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    await redis.xadd(STREAM, {"__data__": b"slow"})
    consumer = SlowConsumer(seconds=1.5)
    reader = StreamReader(redis, consumer, STREAM, count=10, block_ms=100)  # type: ignore[arg-type]
    task = asyncio.create_task(reader.read_once())
    try:
        await asyncio.wait_for(consumer.started.wait(), 5)
        stolen = []
        for _ in range(6):  # 1.2 s of a reclaimer polling for entries idle ≥ 300 ms
            await asyncio.sleep(0.2)
            _next, claimed, *_ = await redis.xautoclaim(
                STREAM, "reader-test", "reclaimer", min_idle_time=300, start_id="0-0"
            )
            stolen.extend(claimed)
        assert stolen == []
        assert await task == 1
        assert (await redis.xpending(STREAM, "reader-test"))["pending"] == 0
        deliveries = await redis.xinfo_consumers(STREAM, "reader-test")
        assert [c["name"] for c in deliveries] == [b"r1"]
    finally:
        await stop_tasks([task])
        await redis.aclose()


async def test_a_batch_waiting_for_another_stream_pauses_once_not_once_per_event(
    tmp_path, redis_url: str
):
    """Ten events that must wait for another stream: the first waits its pauses in process,
    the other nine are left to the reclaimer at once instead of pausing one after another."""
    from shared.messaging.errors import RetryLater
    from tests.integration.kit_harness import KitService, filed_event

    calls: list[str] = []

    async def waits(envelope, uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(str(envelope.event_id))
        raise RetryLater("the case is not known yet")

    kit = KitService(
        f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}",
        redis_url,
        handler=waits,
        retry_pauses=(0.01, 0.01),
    )
    await kit.create_schema()
    try:
        events = [filed_event() for _ in range(10)]
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(events)]
        acks = await kit.consumer.apply_entries("waystation.intake", entries)
    finally:
        await kit.close()
    assert acks == []  # all left pending for the reclaimer
    # the batch try (1, then rolled back) + the first event patiently (1 + 2 pauses) + 9 once
    assert len(calls) == 1 + 3 + 9


class StubbornRedis(Redis):
    """XCLAIM hangs and swallows every cancellation until released. Harsher than what a long
    poison run met (redis-py lost one cancellation and returned normally, so the holder loop
    claimed on and its reader waited five minutes): no holder may hold up its reader."""

    released = False

    async def xclaim(self, *args: object, **kwargs: object) -> list[object]:  # type: ignore[override]
        while not self.released:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue
        return []


async def test_a_claim_holder_that_ignores_cancellation_does_not_hold_up_the_reader(
    redis_url: str,
):
    redis = StubbornRedis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    await redis.xadd(STREAM, {"__data__": b"slow"})
    consumer = SlowConsumer(seconds=0.5)  # the holder's first XCLAIM starts at 0.1 s
    reader = StreamReader(redis, consumer, STREAM, count=10, block_ms=100)  # type: ignore[arg-type]
    try:
        with structlog.testing.capture_logs() as logs:
            read = await asyncio.wait_for(reader.read_once(), timeout=30)
        assert read == 1
        assert (await redis.xpending(STREAM, "reader-test"))["pending"] == 0  # acked
        stuck = [line for line in logs if line["event"] == "batch_holder_ignored_cancellation"]
        assert len(stuck) == 1
        assert any("xclaim" in frame for frame in stuck[0]["waiting_in"])
    finally:
        redis.released = True
        holders = [t for t in asyncio.all_tasks() if t.get_name() == f"hold-{STREAM}"]
        await stop_tasks(holders)
        await redis.aclose()


class BatchCounter:
    """Records the size of every batch; the first one signals that it was applied."""

    def __init__(self) -> None:
        self.config = ConsumerConfig(service="reader-test", instance="r1")
        self.batches: list[int] = []
        self.first_applied = asyncio.Event()

    async def apply_entries(self, stream: str, entries: list[RawEntry]) -> list[str]:
        self.batches.append(len(entries))
        self.first_applied.set()
        return [entry_id for entry_id, _b, _h in entries]


async def test_after_a_partial_batch_the_next_one_gathers_for_the_linger(redis_url: str):
    """Events that arrive one by one while the reader lingers are applied as one batch (one
    transaction and one acknowledgement instead of one each, #21)."""
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    consumer = BatchCounter()
    reader = StreamReader(redis, consumer, STREAM, count=3, block_ms=100, linger=2.0)  # type: ignore[arg-type]
    task = asyncio.create_task(reader.run())
    try:
        await redis.xadd(STREAM, {"__data__": b"first"})  # the first after a quiet spell
        await asyncio.wait_for(consumer.first_applied.wait(), 5)
        for n in range(2):
            await redis.xadd(STREAM, {"__data__": f"while lingering {n}".encode()})

        async def gathered() -> bool:
            return sum(consumer.batches) == 3

        await eventually_async(gathered, timeout=10)
        assert consumer.batches == [1, 2]
    finally:
        await stop_tasks([task])
        await redis.aclose()


async def test_a_full_batch_is_followed_by_the_next_read_at_once(redis_url: str):
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    for n in range(7):
        await redis.xadd(STREAM, {"__data__": f"backlog {n}".encode()})
    consumer = BatchCounter()
    # A linger far longer than the wait below: only full batches may be read within it.
    reader = StreamReader(redis, consumer, STREAM, count=3, block_ms=100, linger=600.0)  # type: ignore[arg-type]
    task = asyncio.create_task(reader.run())
    try:

        async def drained() -> bool:
            return sum(consumer.batches) == 7

        await eventually_async(drained, timeout=10)
        assert consumer.batches == [3, 3, 1]
    finally:
        await stop_tasks([task])
        await redis.aclose()


class Gate:
    """Holds every batch until its first entry's body is released; records what ran when."""

    def __init__(self) -> None:
        self.config = ConsumerConfig(service="reader-test", instance="r1")
        self.log: list[str] = []
        self.released: dict[bytes, asyncio.Event] = {}
        self.fail: set[bytes] = set()

    def gate(self, body: bytes) -> asyncio.Event:
        return self.released.setdefault(body, asyncio.Event())

    async def apply_entries(self, stream: str, entries: list[RawEntry]) -> list[str]:
        first = entries[0][1]
        self.log.append(f"start {first.decode()}")
        await self.gate(first).wait()
        self.log.append(f"end {first.decode()}")
        if first in self.fail:
            raise RuntimeError(f"{first.decode()} failed")
        return [entry_id for entry_id, _b, _h in entries]


async def _add(redis: Redis, body: str, case: str | None) -> None:
    """An entry as the relay writes it: FastStream's frame with the case in its headers."""
    from faststream.redis.parser.binary import BinaryMessageFormatV1

    headers = {"event_type": "case.filed", **({"case_id": case} if case else {})}
    await redis.xadd(
        STREAM,
        {
            "__data__": await BinaryMessageFormatV1.encode(
                message=body.encode(), reply_to=None, headers=headers, correlation_id="c"
            )
        },
    )


async def _started(gate: Gate, *names: str) -> None:
    async def all_started() -> bool:
        return all(f"start {n}" in gate.log for n in names)

    await eventually_async(all_started, timeout=5)


@dataclass
class Gated:
    """A running reader of concurrency 2 (or more) over a `Gate`, on its own group."""

    redis: Redis
    gate: Gate
    reader: StreamReader
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def gated(redis_url: str, concurrency: int = 2) -> AsyncIterator[Gated]:
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    gate = Gate()
    reader = StreamReader(redis, gate, STREAM, count=1, block_ms=50, concurrency=concurrency)  # type: ignore[arg-type]
    task = asyncio.create_task(reader.run())
    try:
        yield Gated(redis, gate, reader, task)
    finally:
        await stop_tasks([task])
        await redis.aclose()


async def _parked(g: Gated) -> None:
    """Wait until the reader waits for a batch under way (for room, or for a batch holding a
    case it has just read): from here on, what it holds back stays held back."""
    from shared.messaging.stacks import await_chain

    async def waiting() -> bool:
        return any(frame.endswith("in _wait_until") for frame in await_chain(g.task))

    await eventually_async(waiting, timeout=5)


async def test_batches_of_other_cases_are_applied_side_by_side(redis_url: str):
    """#21: with concurrency 2, the next batch starts while the first is still being applied
    (its database round trips overlap the other's work); each is acknowledged on its own."""
    async with gated(redis_url) as g:
        await _add(g.redis, "a1", "case-a")
        await _add(g.redis, "b1", "case-b")
        await _add(g.redis, "c1", "case-c")
        await _started(g.gate, "a1", "b1")
        assert g.reader.in_flight == 2
        await _parked(g)
        assert "start c1" not in g.gate.log, "a third batch ran beyond the concurrency of 2"
        g.gate.gate(b"b1").set()
        await _started(g.gate, "c1")  # b1's place went to c1 while a1 still runs
        assert "end a1" not in g.gate.log
        g.gate.gate(b"a1").set()
        g.gate.gate(b"c1").set()

        async def all_acked() -> bool:
            pending = (await g.redis.xpending(STREAM, "reader-test"))["pending"]
            return pending == 0 and g.reader.in_flight == 0

        await eventually_async(all_acked, timeout=5)
        assert g.reader.batches == 3


async def test_a_batch_with_a_case_under_way_waits_for_it(redis_url: str):
    """A case's later event never overtakes its earlier one: the batch holding it starts only
    once the batch before it has ended."""
    async with gated(redis_url) as g:
        await _add(g.redis, "a1", "case-a")
        await _add(g.redis, "a2", "case-a")
        await _started(g.gate, "a1")
        await _parked(g)
        assert g.gate.log == ["start a1"], "the case's second event started beside its first"
        g.gate.gate(b"a1").set()
        await _started(g.gate, "a2")
        assert g.gate.log == ["start a1", "end a1", "start a2"]
        g.gate.gate(b"a2").set()


async def test_an_entry_naming_no_case_runs_alone(redis_url: str):
    """Without a case header the reader cannot tell what it holds: it waits for every batch
    before it, and every batch after it waits for it."""
    async with gated(redis_url, concurrency=4) as g:
        await _add(g.redis, "a1", "case-a")
        await _add(g.redis, "x", None)
        await _add(g.redis, "b1", "case-b")
        await _started(g.gate, "a1")
        await _parked(g)
        assert g.gate.log == ["start a1"]
        g.gate.gate(b"a1").set()
        await _started(g.gate, "x")
        await _parked(g)
        assert g.gate.log == ["start a1", "end a1", "start x"]
        g.gate.gate(b"x").set()
        await _started(g.gate, "b1")
        g.gate.gate(b"b1").set()


async def test_a_failed_batch_beside_the_loop_is_logged_and_left_pending(redis_url: str):
    """The reader carries on after a batch under way fails: the failure is logged by the loop
    (which backs off, as after a failed batch of its own) and its entry stays pending for the
    reclaimer; the other batches are applied and acknowledged."""
    with structlog.testing.capture_logs() as logs:
        async with gated(redis_url) as g:
            g.gate.fail.add(b"a1")
            for body in (b"a1", b"b1", b"c1"):
                g.gate.gate(body).set()
            await _add(g.redis, "a1", "case-a")
            await _add(g.redis, "b1", "case-b")
            await _started(g.gate, "a1", "b1")

            async def failure_logged() -> bool:
                return any(line["event"] == "stream_read_failed_retrying" for line in logs)

            await eventually_async(failure_logged, timeout=5)
            await _add(g.redis, "c1", "case-c")

            async def only_a1_pending() -> bool:
                pending = await g.redis.xpending_range(STREAM, "reader-test", "-", "+", 10)
                return "end c1" in g.gate.log and len(pending) == 1

            await eventually_async(only_a1_pending, timeout=5)
            assert not g.task.done()


async def test_stopping_the_reader_cancels_its_batches_and_the_watchdog_sees_them(
    redis_url: str,
):
    """A batch that hangs beside the loop still shows as the reader's lack of progress (the
    watchdog restarts a stalled process), and stopping the reader stops its batches; their
    entries stay pending."""
    async with gated(redis_url) as g:
        await _add(g.redis, "a1", "case-a")
        await _started(g.gate, "a1")
        hung = g.reader.oldest_batch()
        assert hung is not None
        started = time.monotonic()  # the batch started before this

        async def loop_read_on() -> bool:  # empty reads of 50 ms, beside the hung batch
            return g.reader._loop_progress > started

        await eventually_async(loop_read_on, timeout=5)
        assert g.reader.last_progress < started
        await stop_tasks([g.task])
        assert hung.cancelled()
        assert (await g.redis.xpending(STREAM, "reader-test"))["pending"] == 1


async def test_the_relay_names_each_entrys_case_for_the_reader(redis_url: str):
    """What the reader orders batches by is on every entry the outbox relay publishes."""
    import uuid

    from shared.messaging.publishing import publish_events
    from shared.messaging.reader import cases_of, decode_entry
    from shared.messaging.redis_client import make_broker
    from shared.messaging.relay import OutgoingEvent

    redis = Redis.from_url(redis_url)
    broker = make_broker(redis_url, logger=None)
    await broker.connect()
    cases = [str(uuid.uuid4()) for _ in range(3)]
    try:
        await publish_events(
            broker,
            redis,
            [
                OutgoingEvent(n, STREAM, "case.filed", case, case, "{}")
                for n, case in enumerate(cases)
            ],
        )
        entries = [decode_entry(i, f) for i, f in await redis.xrange(STREAM)]
        assert cases_of(entries) == frozenset(cases)
    finally:
        await broker.stop()
        await redis.aclose()


async def test_a_partial_batch_is_applied_in_the_loop(redis_url: str):
    """Under light load (a batch smaller than the read count) there is no backlog to overlap:
    the batch is applied before the read returns, so the linger after it gathers the next one
    for as long as with a concurrency of 1."""
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(STREAM, "reader-test", id="0", mkstream=True)
    consumer = BatchCounter()
    reader = StreamReader(redis, consumer, STREAM, count=3, block_ms=100, concurrency=2)  # type: ignore[arg-type]
    try:
        await _add(redis, "a1", "case-a")
        assert await reader.read_once() == 1
        assert consumer.batches == [1]
        assert reader.in_flight == 0
        assert (await redis.xpending(STREAM, "reader-test"))["pending"] == 0
    finally:
        await redis.aclose()
