"""The hot path: an XREADGROUP loop that hands the consumer whole batches and acks them.

FastStream's batch subscriber re-encodes bodies and fails the whole batch on one undecodable
entry, so new entries are read here with redis-py; FastStream still runs the reclaimer
(XAUTOCLAIM), publishes, and documents the streams. A lost group (Redis restarted without its
data) is recreated from the start of the stream instead of stopping the reader.

With `concurrency` above 1 the reader reads the next batch while earlier full ones are still
being applied, up to that many batches at once, so under a backlog one batch's database round
trips overlap another's Python work (a partial batch, light load, is applied in the loop). A
batch never runs beside an earlier one that holds an event of the same case (the entry's
`case_id` header; an entry without one waits for every batch before it, and every later batch
waits for it): a case's events are still applied in stream order. Each batch is acknowledged
after its own commit, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, cast

import structlog
from faststream.redis.parser.binary import BinaryMessageFormatV1
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from shared.messaging.consumer import IdempotentConsumer, RawEntry
from shared.messaging.groups import ensure_groups
from shared.messaging.partitions import group_pairs, streams_read_by
from shared.messaging.redis_client import RedisClient, drop_connections
from shared.messaging.stacks import await_chain

log = structlog.get_logger(__name__)
_MAGIC = b"\x89BIN\r\n\x1a\n"
# How long a finished batch waits for its claim-holder to end after cancelling it.
_HOLDER_GRACE = 5.0
Entries = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]]
# The cases a batch holds; None when an entry names none (it must run alone, in order).
Cases = frozenset[str] | None


def decode_entry(entry_id: bytes, fields: dict[bytes, bytes]) -> RawEntry:
    """(entry id, body, headers) from FastStream's binary format, raw `__data__` or fields."""
    data = fields.get(b"__data__")
    if data is None:
        body = repr(
            {k.decode(errors="replace"): v.decode(errors="replace") for k, v in fields.items()}
        ).encode()
        return entry_id.decode(), body, {}
    if data.startswith(_MAGIC):
        try:
            body, headers = BinaryMessageFormatV1.parse(data)
            return entry_id.decode(), body, dict(headers)
        except Exception:  # a truncated or forged frame is poison, not a crash
            return entry_id.decode(), data, {}
    return entry_id.decode(), data, {}


def cases_of(entries: list[RawEntry]) -> Cases:
    """The cases of a batch's entries, from the `case_id` header the relay writes."""
    cases = set()
    for _entry_id, _body, headers in entries:
        case = headers.get("case_id")
        if not case:
            return None
        cases.add(str(case))
    return frozenset(cases)


def overlap(a: Cases, b: Cases) -> bool:
    """Whether two batches may hold events of the same case (so one must wait for the other)."""
    return a is None or b is None or not a.isdisjoint(b)


class StreamReader:
    def __init__(
        self,
        redis: RedisClient,
        consumer: IdempotentConsumer,
        stream: str,
        *,
        count: int = 100,
        block_ms: int = 1000,
        linger: float = 0.0,
        concurrency: int = 1,
    ) -> None:
        self._redis = redis
        self._consumer = consumer
        self.stream = stream
        self._count = count
        self._block_ms = block_ms
        self._linger = linger  # ConsumerConfig.read_linger
        self._concurrency = max(1, concurrency)  # ConsumerConfig.read_concurrency
        self.batches = 0
        # Batches being applied beside the loop (concurrency > 1): their cases, their start.
        self._in_flight: dict[asyncio.Task[None], tuple[Cases, float]] = {}
        self._failures: list[BaseException] = []
        # When the loop last finished a read (empty or not).
        self._loop_progress = time.monotonic()
        # A Redis call that outlives its own timeouts by this much is abandoned and retried.
        self._call_bound = block_ms / 1000 + 20

    @property
    def last_progress(self) -> float:
        """The watchdog's liveness signal: when the loop last finished a read (empty or not),
        or when the oldest batch still being applied beside it started, if that is earlier."""
        return min([self._loop_progress, *(start for _c, start in self._in_flight.values())])

    @last_progress.setter
    def last_progress(self, value: float) -> None:
        self._loop_progress = value

    @property
    def in_flight(self) -> int:
        """Batches being applied beside the loop right now."""
        return len(self._in_flight)

    def oldest_batch(self) -> asyncio.Task[None] | None:
        """The batch under way beside the loop that started first (where a stall hangs)."""
        return min(self._in_flight, key=lambda t: self._in_flight[t][1], default=None)

    async def read_once(self) -> int:
        """Read, apply and acknowledge one batch; returns how many entries it read.

        With `concurrency` above 1 a full batch is applied beside the loop: this returns once
        it has started, and raises what an earlier such batch raised."""
        cfg = self._consumer.config
        if self._concurrency > 1:
            await self._wait_until(lambda _cases: len(self._in_flight) >= self._concurrency)
            self._raise_failure()
        async with asyncio.timeout(self._call_bound):
            got = cast(
                Entries,
                await self._redis.xreadgroup(
                    cfg.service,
                    cfg.instance,
                    {self.stream: ">"},
                    count=self._count,
                    block=self._block_ms,
                ),
            )
        entries = [decode_entry(i, f) for _s, batch in got or [] for i, f in batch]
        if not entries:
            return 0
        if self._concurrency > 1:
            cases = cases_of(entries)
            # A case's earlier events are in a batch still under way: this one starts after it.
            await self._wait_until(lambda held: overlap(cases, held))
            # Only a full batch (a backlog) goes beside the loop. A partial one is applied here,
            # as with a concurrency of 1, so the linger after it gathers the next batch for as
            # long as before (beside the loop, batches under light load came out smaller and
            # cost more per event).
            if len(entries) >= self._count:
                task = asyncio.create_task(
                    self._apply_and_ack(entries), name=f"batch-{self.stream}"
                )
                self._in_flight[task] = (cases, time.monotonic())
                task.add_done_callback(self._finished)
                return len(entries)
        await self._apply_and_ack(entries)
        return len(entries)

    async def _apply_and_ack(self, entries: list[RawEntry]) -> None:
        acks = await self._apply_holding(entries)
        if acks:
            async with asyncio.timeout(self._call_bound):
                await self._redis.xack(self.stream, self._consumer.config.service, *acks)
        self.batches += 1

    def _finished(self, task: asyncio.Task[None]) -> None:
        """A batch beside the loop ended: its failure (its entries stay pending for the
        reclaimer) is raised by the loop's next read, which logs it and backs off."""
        self._in_flight.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            self._failures.append(cast(BaseException, task.exception()))

    def _raise_failure(self) -> None:
        if self._failures:
            first, *others = self._failures
            self._failures = []
            for other in others:
                log.error("stream_batch_failed", stream=self.stream, error=repr(other))
            raise first

    async def _wait_until(self, blocks: Callable[[Cases], bool]) -> None:
        """Wait until no batch under way is one that `blocks` (given its cases) holds us up."""
        while waiting := {task for task, (cases, _) in self._in_flight.items() if blocks(cases)}:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)

    async def _stop_in_flight(self) -> None:
        """Cancel the batches under way (their entries stay pending), bounded like a holder."""
        tasks = list(self._in_flight)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=_HOLDER_GRACE)

    async def _apply_holding(self, entries: list[RawEntry]) -> list[str]:
        """Apply a batch while keeping its entries claimed.

        A batch that takes longer than the reclaim idle time (a slow database, a loaded host)
        would otherwise be claimed by the reclaimer and applied a second time concurrently:
        wasted work and, on PostgreSQL, deadlocks between the two. XCLAIM to ourselves with
        JUSTID resets the entries' idle time without counting a delivery.
        """
        cfg = self._consumer.config
        ids: list[str | bytes | int | memoryview] = [entry_id for entry_id, _b, _h in entries]
        interval = max(cfg.reclaim_idle_ms / 3000, 0.05)
        done = asyncio.Event()
        holder: asyncio.Task[None] | None = None

        async def hold() -> None:
            # Ends on `done`, not only on cancellation: a Redis call that swallowed the
            # cancellation must not keep this loop (and the reader awaiting it) alive.
            while not done.is_set():
                with contextlib.suppress(Exception):  # best effort; the reclaimer copes
                    async with asyncio.timeout(self._call_bound):
                        await self._redis.xclaim(
                            self.stream, cfg.service, cfg.instance, 0, ids, justid=True
                        )
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(interval):
                        await done.wait()

        def start_holding() -> None:
            nonlocal holder
            if not done.is_set():
                holder = asyncio.create_task(hold(), name=f"hold-{self.stream}")

        # Most batches end long before the first claim is due: a timer, not a task per batch
        # (creating, cancelling and awaiting one was a fixed cost of every batch). The holder
        # starts only once the batch has run for `interval`.
        timer = asyncio.get_running_loop().call_later(interval, start_holding)
        try:
            return await self._consumer.apply_entries(self.stream, entries)
        finally:
            timer.cancel()
            done.set()
            if holder is not None:
                holder.cancel()
                # Bounded: a long poison run caught a reader waiting here for five minutes on
                # a holder that outlived its cancellation (redis-py writes under
                # asyncio.wait_for, which on Python 3.11 can lose a cancellation: the XCLAIM
                # returned normally and the loop claimed on). The batch's outcome is already
                # known; a holder that still has not ended is reported and left behind, never
                # waited for. (asyncio.wait, not a suppressed await: our own cancellation
                # still propagates.)
                await asyncio.wait({holder}, timeout=_HOLDER_GRACE)
                if not holder.done():
                    log.error(
                        "batch_holder_ignored_cancellation",
                        stream=self.stream,
                        waiting_in=await_chain(holder),
                    )

    async def run(self) -> None:
        """Read forever. Nothing but cancellation ends the loop: a reader that died silently
        would leave its group unread while the process still looked healthy (a long Redis-kill
        run found exactly that), so every failure is logged and retried with a backoff."""
        try:
            await self._read_forever()
        finally:
            await self._stop_in_flight()

    async def _read_forever(self) -> None:
        backoff = 0.1
        while True:
            try:
                read = await self.read_once()
                self.last_progress = time.monotonic()
                backoff = 0.1
                if 0 < read < self._count and self._linger:
                    await asyncio.sleep(self._linger)  # let the next batch gather
                continue
            except ResponseError as exc:
                if "NOGROUP" in str(exc):
                    log.warning("consumer_group_lost_recreating", stream=self.stream)
                    await self._recreate_groups()
                    continue
                log.exception("stream_read_failed_retrying", stream=self.stream, retry_in=backoff)
            except (
                TimeoutError
            ):  # asyncio.timeout's, caught before OSError: a call hung past its own timeouts
                log.warning("redis_call_abandoned_retrying", stream=self.stream, retry_in=backoff)
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(5):
                        await drop_connections(self._redis)
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                log.warning(
                    "redis_unavailable_retrying",
                    stream=self.stream,
                    error=str(exc),
                    retry_in=backoff,
                )
            except Exception:  # unapplied entries stay pending; the reclaimer retries them
                log.exception("stream_read_failed_retrying", stream=self.stream, retry_in=backoff)
            self.last_progress = time.monotonic()  # failing and retrying is not stalling
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _recreate_groups(self) -> None:
        try:
            await ensure_groups(self._redis, group_pairs(self._consumer.config.partitions))
        except Exception as exc:  # Redis still coming up: the loop retries
            log.warning("recreate_groups_failed", error=str(exc))
            await asyncio.sleep(0.5)


def reader_tasks(redis: RedisClient, consumer: IdempotentConsumer) -> list[Any]:
    """One reader per partition of every stream the consumer's service reads (each its own
    XREADGROUP: in a Redis Cluster the partitions live in different slots)."""
    cfg = consumer.config
    return [
        StreamReader(
            redis,
            consumer,
            stream,
            count=cfg.read_batch,
            linger=cfg.read_linger,
            concurrency=cfg.read_concurrency,
        )
        for _producer, stream in streams_read_by(cfg.service, cfg.partitions)
    ]
