"""Idempotent consumer wiring: a reader and a reclaimer per stream, dead letters after N tries."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisStreamMessage
from pydantic import ValidationError

from shared.contracts.envelope import Envelope
from shared.contracts.reading import too_new
from shared.messaging.batching import BatchNotClean, Prepare, apply_batch
from shared.messaging.dead_letters import dead_letter
from shared.messaging.errors import NotYetReadable, PermanentError, RetryLater
from shared.messaging.partitions import partition_index, streams_read_by
from shared.messaging.redis_client import RedisClient
from shared.messaging.scope import event_scope
from shared.messaging.uow import UnitOfWork
from shared.platform.metrics import ServiceMetrics
from shared.platform.tracing import header_traceparent

log = structlog.get_logger(__name__)

Handler = Callable[[Envelope, UnitOfWork], Awaitable[None]]
RawEntry = tuple[str, bytes, dict[str, Any]]  # (stream entry id, body, headers)


@dataclass(frozen=True)
class ConsumerConfig:
    service: str
    instance: str
    reclaim_idle_ms: int = 30_000
    max_deliveries: int = 5
    read_batch: int = 100
    # After a batch smaller than `read_batch`, the reader waits this long (seconds) before its
    # next read, so the events that arrive meanwhile are applied as one batch (one transaction,
    # one acknowledgement) instead of one each. The first event after a quiet spell is read at
    # once; a full batch (a backlog) is followed by the next read at once. (Kafka producers'
    # `linger.ms`.)
    read_linger: float = 0.0
    # Batches a reader applies at once (shared/messaging/reader.py): above 1, it reads and
    # starts the next batch while earlier full ones (a backlog) are still being applied, never
    # two batches holding events of the same case.
    read_concurrency: int = 1
    # In-process pauses before a RetryLater event is left to the reclaimer.
    retry_pauses: tuple[float, ...] = (0.05, 0.2, 0.5, 1.0)
    # Partitions of every stream (STREAM_PARTITIONS): one reader and reclaimer per partition.
    partitions: int = 1


class IdempotentConsumer:
    """Applies each event at most once: the processed record commits with the state change."""

    def __init__(
        self,
        config: ConsumerConfig,
        handlers: Mapping[str, Handler],
        new_uow: Callable[[], UnitOfWork],
        redis: RedisClient,
        metrics: ServiceMetrics | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        self.config = config
        self._prepare = prepare
        self.metrics = metrics or ServiceMetrics(config.service, config.partitions)
        self._handlers = handlers
        self._new_uow = new_uow
        self._redis = redis
        self.processed_total = 0
        self.dead_lettered_total = 0
        self.batch_fallbacks_total = 0

    async def apply(
        self,
        envelope: Envelope,
        stream_entry: str = "",
        traceparent: str | None = None,
        *,
        patient: bool = True,
    ) -> bool:
        """Apply one event in its case's order; False when already applied or not ours.

        `patient`: on RetryLater, pause in process and try again before giving up (to the
        reclaimer); an impatient apply gives up at once.
        """
        with event_scope(envelope, self.config.service, traceparent):
            return await self._apply_with_pauses(envelope, stream_entry, patient)

    async def _apply_with_pauses(
        self, envelope: Envelope, stream_entry: str, patient: bool
    ) -> bool:
        for pause in (*(self.config.retry_pauses if patient else ()), None):
            try:
                applied = await self._apply_once(envelope, stream_entry)
            except RetryLater:
                if pause is None:
                    raise
                await asyncio.sleep(pause)
                continue
            self.processed_total += int(applied)
            if applied:
                self.metrics.consumed.labels(envelope.event_type).inc()
            return applied
        return False  # unreachable: the last pass returns or raises

    async def apply_entries(self, stream: str, entries: list[RawEntry]) -> list[str]:
        """Apply a batch read from `stream`; returns the entry ids that may be acknowledged.

        Poison is dead-lettered (and acknowledged); the rest goes through one transaction, or
        one by one when the batch is not clean, where a failing event stays pending.
        """
        acks: list[str] = []
        decoded: list[tuple[str, Envelope]] = []
        raw = {entry_id: (body, headers) for entry_id, body, headers in entries}
        for entry_id, body, headers in entries:
            try:
                envelope = Envelope.model_validate_json(body)
            except (ValidationError, ValueError) as exc:
                await self._dead_letter(stream, entry_id, body, headers, 1, f"permanent: {exc}")
                acks.append(entry_id)
                continue
            if too_new(envelope):  # left pending, unacknowledged, for an upgraded consumer
                await self._waiting_for_upgrade(stream, entry_id, envelope)
                continue
            decoded.append((entry_id, envelope))
        if not decoded:
            return acks
        try:
            applied = await apply_batch(
                decoded,
                self._handlers,
                self._new_uow,
                service=self.config.service,
                traceparents={i: header_traceparent(h) for i, (_b, h) in raw.items()},
                on_handled=lambda e: self.metrics.consumed.labels(e.event_type).inc(),
                prepare=self._prepare,
            )
            self.processed_total += applied.handled
            left_out = set(applied.left_out)
            acks += [entry_id for entry_id, _ in decoded if entry_id not in left_out]
            one_by_one = [(i, e) for i, e in decoded if i in left_out]
        except BatchNotClean as exc:
            self.batch_fallbacks_total += 1
            self.metrics.handler_errors.labels(stream, "batch").inc()
            log.info("batch_applied_one_by_one", stream=stream, size=len(decoded), why=str(exc))
            one_by_one = decoded
        # Once one event of the batch must wait for another stream, the rest most likely wait
        # for the same thing: pausing for each in turn would hold the whole batch for minutes.
        patient = True
        for entry_id, _envelope in one_by_one:
            body, headers = raw[entry_id]
            try:
                await self.handle_entry(
                    stream, entry_id, body, headers, deliveries=1, reclaimed=False, patient=patient
                )
            except RetryLater:  # left pending: the reclaimer retries it later
                patient = False
                continue
            except Exception:  # left pending: the reclaimer retries it later
                continue
            acks.append(entry_id)
        return acks

    async def _apply_once(self, envelope: Envelope, stream_entry: str) -> bool:
        """A batch of one (the batch's rules), raising what this event alone raises."""
        try:
            applied = await apply_batch(
                [(stream_entry, envelope)],
                self._handlers,
                self._new_uow,
                service=self.config.service,
                scoped=False,  # apply() runs it in the event's scope already
            )
        except BatchNotClean as exc:
            if exc.__cause__ is None:
                raise
            # What the event alone raises: RetryLater for a gap or a concurrent apply, or the
            # handler's own error.
            failed = exc.__cause__
        else:
            return applied.handled == 1
        raise failed  # outside the except block: the error as the event alone raised it

    async def deliver(self, msg: RedisStreamMessage, stream: str, *, reclaimed: bool) -> None:
        """The subscribers' entry point: returning acknowledges, raising leaves it pending."""
        deliveries = await msg.get_delivery_count() if reclaimed else 1
        try:
            await self.handle_entry(
                stream,
                _entry_id(msg),
                msg.body,
                dict(msg.headers),
                deliveries=deliveries,
                reclaimed=reclaimed,
            )
        except (RetryLater, NotYetReadable):
            # Waiting (for a case's earlier event, or for an upgrade) is no error: logged at
            # info above, left pending without FastStream logging it as a failure.
            await msg.nack()

    async def handle_entry(
        self,
        stream: str,
        entry_id: str,
        body: bytes,
        headers: dict[str, Any],
        *,
        deliveries: int,
        reclaimed: bool,
        patient: bool = True,
    ) -> None:
        """Decode and apply; poison goes to the dead-letter stream, anything else is retried."""
        letter = (stream, entry_id, body, headers, deliveries)
        try:
            envelope = Envelope.model_validate_json(body)
        except (ValidationError, ValueError) as exc:
            self.metrics.handler_errors.labels(stream, "permanent").inc()
            await self._dead_letter(*letter, f"permanent: {exc}")
            return
        if too_new(envelope):
            raise NotYetReadable(await self._waiting_for_upgrade(stream, entry_id, envelope))
        if deliveries > self.config.max_deliveries:
            await self._dead_letter(*letter, "too many deliveries")
            return
        with structlog.contextvars.bound_contextvars(
            correlation_id=str(envelope.correlation_id), case_id=str(envelope.case_id)
        ):
            await self._apply_entry(
                envelope, letter, header_traceparent(headers), reclaimed, patient
            )

    async def _apply_entry(
        self,
        envelope: Envelope,
        letter: tuple[str, str, bytes, dict[str, Any], int],
        traceparent: str | None,
        reclaimed: bool,
        patient: bool = True,
    ) -> None:
        stream, entry_id, _body, _headers, deliveries = letter
        try:
            await self.apply(envelope, entry_id, traceparent, patient=patient)
        except (ValidationError, ValueError, PermanentError) as exc:
            self.metrics.handler_errors.labels(stream, "permanent").inc()
            await self._dead_letter(*letter, f"permanent: {exc}")
        except Exception as exc:
            self.metrics.handler_errors.labels(stream, "retry").inc()
            if reclaimed and deliveries >= self.config.max_deliveries:
                await self._dead_letter(*letter, repr(exc))
                return
            if isinstance(exc, RetryLater):  # an earlier event of the case is still to come
                log.info("event_waits_will_retry", stream=stream, entry=entry_id, why=str(exc))
            else:
                log.warning(
                    "event_failed_will_retry", stream=stream, entry=entry_id, error=repr(exc)
                )
            raise

    async def _waiting_for_upgrade(self, stream: str, entry_id: str, envelope: Envelope) -> str:
        """A newer producer's version (a rolling upgrade): neither applied nor dead-lettered.

        Its delivery count is set back to 0 each time, so that once a consumer knowing the
        version takes it, the deliveries spent waiting do not dead-letter it."""
        log.info(
            "event_version_not_yet_readable",
            stream=stream,
            entry=entry_id,
            event_type=envelope.event_type,
            schema_version=envelope.schema_version,
        )
        cfg = self.config
        with contextlib.suppress(Exception):  # best effort: a later delivery resets it again
            async with asyncio.timeout(5):
                await self._redis.xclaim(
                    stream, cfg.service, cfg.instance, 0, [entry_id], retrycount=0, justid=True
                )
        return f"{envelope.event_type} v{envelope.schema_version} is newer than this consumer"

    async def _dead_letter(
        self,
        stream: str,
        entry_id: str,
        body: bytes,
        headers: dict[str, Any],
        deliveries: int,
        error: str,
    ) -> None:
        await dead_letter(
            self._redis,
            stream=stream,
            group=self.config.service,
            entry_id=entry_id,
            deliveries=deliveries,
            error=error,
            body=body,
            headers=headers,
        )
        self.dead_lettered_total += 1
        self.metrics.dead_lettered.labels(stream).inc()
        log.error("event_dead_lettered", stream=stream, entry=entry_id, error=error[:300])

    def subscribe(self, broker: RedisBroker, *, document_readers: bool = False) -> None:
        """Register the reclaimer of every partition of every stream the service reads (the
        readers are `reader.StreamReader` tasks; `document_readers` declares them for AsyncAPI
        only)."""
        cfg = self.config
        for producer, stream in streams_read_by(cfg.service, cfg.partitions):
            # One partition keeps the names it always had; more name theirs.
            part = "" if cfg.partitions == 1 else f".{partition_index(stream)}"
            if document_readers:
                broker.subscriber(
                    stream=StreamSub(
                        stream, group=cfg.service, consumer=cfg.instance, max_records=cfg.read_batch
                    ),
                    title=f"{cfg.service}.read.{producer}{part}",
                    description=f"{cfg.service} applies {producer}'s events (Envelope JSON), "
                    f"in batches of up to {cfg.read_batch}.",
                )(self._reader(stream))
            claimer = StreamSub(
                stream,
                group=cfg.service,
                consumer=f"{cfg.instance}-reclaim",
                min_idle_time=cfg.reclaim_idle_ms,
                # An idle claimer polls XAUTOCLAIM every 100 ms (FastStream's default): ten
                # round trips a second per stream for entries that can only be taken once idle
                # for `reclaim_idle_ms` (15 s by default), most of a service's CPU when nothing
                # happens. Polling at a tenth of the idle time (at most once a second) delays a
                # reclaim by at most that tenth. A claim that finds entries polls again at once.
                polling_interval=reclaim_poll_ms(cfg.reclaim_idle_ms),
            )
            broker.subscriber(
                stream=claimer,
                title=f"{cfg.service}.reclaim.{producer}{part}",
                description=f"{cfg.service} reclaims {producer}'s events left pending by a crash.",
            )(self._reclaimer(stream))

    def _reader(self, stream: str) -> Callable[[RedisStreamMessage], Awaitable[None]]:
        async def read(msg: RedisStreamMessage) -> None:
            await self.deliver(msg, stream, reclaimed=False)

        return read

    def _reclaimer(self, stream: str) -> Callable[[RedisStreamMessage], Awaitable[None]]:
        async def reclaim(msg: RedisStreamMessage) -> None:
            await self.deliver(msg, stream, reclaimed=True)

        return reclaim


def reclaim_poll_ms(reclaim_idle_ms: int) -> int:
    """How often an idle reclaimer polls: a tenth of the idle time, within 100 ms to 1 s."""
    return max(100, min(1000, reclaim_idle_ms // 10))


def _entry_id(msg: RedisStreamMessage) -> str:
    ids = msg.raw_message.get("message_ids") or [b""]
    first = ids[0]
    return first.decode() if isinstance(first, bytes) else str(first)
