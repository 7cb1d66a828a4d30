"""The hot path: an XREADGROUP loop that hands the consumer whole batches and acks them.

FastStream's batch subscriber re-encodes bodies and fails the whole batch on one undecodable
entry, so new entries are read here with redis-py; FastStream still runs the reclaimer
(XAUTOCLAIM), publishes, and documents the streams. A lost group (Redis restarted without its
data) is recreated from the start of the stream instead of stopping the reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
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
    ) -> None:
        self._redis = redis
        self._consumer = consumer
        self.stream = stream
        self._count = count
        self._block_ms = block_ms
        self._linger = linger  # ConsumerConfig.read_linger
        self.batches = 0
        # When the loop last finished a read (empty or not): the watchdog's liveness signal.
        self.last_progress = time.monotonic()
        # A Redis call that outlives its own timeouts by this much is abandoned and retried.
        self._call_bound = block_ms / 1000 + 20

    async def read_once(self) -> int:
        """Read, apply and acknowledge one batch; returns how many entries it read."""
        cfg = self._consumer.config
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
        acks = await self._apply_holding(entries)
        if acks:
            async with asyncio.timeout(self._call_bound):
                await self._redis.xack(self.stream, cfg.service, *acks)
        self.batches += 1
        return len(entries)

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
        StreamReader(redis, consumer, stream, count=cfg.read_batch, linger=cfg.read_linger)
        for _producer, stream in streams_read_by(cfg.service, cfg.partitions)
    ]
