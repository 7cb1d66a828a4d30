"""A service's moving parts in one place: engine, Redis, broker, relay and consumer."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

import sqlalchemy as sa
import structlog

from shared.messaging.batching import Prepare
from shared.messaging.consumer import ConsumerConfig, Handler, IdempotentConsumer
from shared.messaging.groups import ensure_groups, prune_consumers
from shared.messaging.partitions import group_pairs
from shared.messaging.publishing import publish_events
from shared.messaging.reader import StreamReader, reader_tasks
from shared.messaging.redis_client import make_broker, make_redis, require_slot_safe
from shared.messaging.relay import OutboxRelay, OutgoingEvent
from shared.messaging.stacks import await_chain
from shared.messaging.tables import KitTables
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock
from shared.platform.db import make_engine, make_sessions, upgrade_async
from shared.platform.logs import quiet_logger
from shared.platform.metrics import ServiceMetrics
from shared.platform.settings import ServiceSettings
from shared.platform.training_clock import TrainingClock

log = structlog.get_logger(__name__)
# How often the watchdog prunes consumers that left (they go once idle ten minutes).
_PRUNE_EVERY = 60.0


def restart_process(reason: str) -> None:
    """Ask this process's supervisor for a fresh start: SIGTERM to ourselves (graceful stop).

    A module-level seam: a test session that runs services inside pytest's own process
    replaces it, so a fault fails the test that caused it instead of killing the test runner.
    """
    log.critical("process_restart_requested", reason=reason)
    os.kill(os.getpid(), signal.SIGTERM)


async def stop_tasks(tasks: Sequence[asyncio.Task[None]], patience: float = 0.2) -> None:
    """Cancel background tasks and wait until each has really ended.

    A cancellation can be swallowed by code the task awaits (a driver catching CancelledError
    mid-query, asyncio.wait_for on Python 3.11 racing a wake-up); the task then runs on and a
    single `await task` never returns. So: ask again until it ends.
    """
    for task in tasks:
        task.cancel()
    for task in tasks:
        while not task.done():
            await asyncio.wait({task}, timeout=patience)
            if not task.done():
                log.warning("task_ignored_cancellation", task=task.get_name())
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()


class ServiceRuntime:
    """Built in `create_app`; nothing connects until `start()`."""

    def __init__(
        self,
        settings: ServiceSettings,
        tables: KitTables,
        handlers: Mapping[str, Handler],
        migrations_dir: Path,
        prepare: Prepare | None = None,
        clock: Clock | None = None,
    ) -> None:
        # A cluster with the legacy key names would fail at the first dead letter: refuse now.
        require_slot_safe(settings.redis_url, settings.stream_partitions)
        self.settings = settings
        # The service's training clock, if on: in step with the shared offset from the start.
        self.training_clock = clock if isinstance(clock, TrainingClock) else None
        # Events are stamped with the training clock's time when it runs (a class sees day 15
        # on the timeline); otherwise with the wall clock, as always.
        self.clock: Clock | None = self.training_clock
        self.service = settings.service_name
        self.migrations_dir = migrations_dir
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessions(self.engine)
        self.tables = tables
        self.redis = make_redis(
            settings.redis_url,
            socket_timeout=15,
            socket_connect_timeout=5,
            health_check_interval=30,
        )
        self.broker = make_broker(settings.redis_url, logger=quiet_logger())
        self.partitions = settings.stream_partitions
        self.metrics = ServiceMetrics(self.service, self.partitions)
        self.relay = OutboxRelay(
            self.sessions,
            tables,
            self._publish,
            service=self.service,
            poll_interval=settings.relay_poll_interval,
            metrics=self.metrics,
            partitions=self.partitions,
        )
        self.consumer = IdempotentConsumer(
            ConsumerConfig(
                service=self.service,
                instance=settings.instance,
                reclaim_idle_ms=settings.reclaim_idle_ms,
                max_deliveries=settings.max_deliveries,
                read_linger=settings.read_linger_ms / 1000,
                read_concurrency=settings.read_concurrency,
                partitions=self.partitions,
            ),
            handlers,
            self.uow,
            self.redis,
            self.metrics,
            prepare=prepare,
        )
        self.consumer.subscribe(self.broker)
        self._tasks: list[asyncio.Task[None]] = []
        self._readers: list[tuple[StreamReader, asyncio.Task[None]]] = []
        # Set by stop(): the tasks it cancels have "ended", and a watchdog whose cancellation
        # a client swallowed must not take that for a loop that died and restart the process.
        self._stopping = False
        self._pruned_at = time.monotonic()  # start() prunes once

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.sessions,
            self.tables,
            producer=self.service,
            on_commit=self.relay.wake,
            clock=self.clock,
        )

    async def _publish(self, events: Sequence[OutgoingEvent]) -> None:
        await publish_events(self.broker, self.redis, events)

    async def start(self, *, migrate: bool = True) -> None:
        if migrate:
            await upgrade_async(self.migrations_dir, self.settings.database_url)
        await ensure_groups(self.redis, group_pairs(self.partitions))
        await self._prune_consumers()
        if self.training_clock is not None:  # before any timer runs on a stale clock
            await self.training_clock.sync(self.redis)
            self._tasks.append(
                asyncio.create_task(
                    self.training_clock.keep_in_step(
                        self.redis, self.settings.training_clock_sync_seconds
                    ),
                    name=f"{self.service}-training-clock",
                )
            )
        await self.broker.start()
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.service}-relay"))
        for reader in reader_tasks(self.redis, self.consumer):
            task = asyncio.create_task(reader.run(), name=f"{self.service}-reader-{reader.stream}")
            self._readers.append((reader, task))
            self._tasks.append(task)
        self._tasks.append(asyncio.create_task(self._watch(), name=f"{self.service}-watchdog"))
        log.info("service_started", instance=self.settings.instance)

    async def _prune_consumers(self) -> None:
        """Remove this service's consumers that left their groups holding nothing (best effort)."""
        pairs = group_pairs(self.partitions)
        mine = [(stream, group) for stream, group in pairs if group == self.service]
        try:
            async with asyncio.timeout(10):
                removed = await prune_consumers(self.redis, mine)
        except Exception as exc:  # Redis away: the next watchdog round tries again
            log.warning("consumer_prune_failed", error=str(exc))
            return
        if removed:
            log.info("consumers_pruned", removed=removed)

    async def _watch(self) -> None:
        """Keep the topology's groups in place; leave if a subscriber stopped for good.

        Redis restarted without its data loses streams and groups: the groups are recreated
        (from 0) here, and a subscriber that already hit NOGROUP has stopped (FastStream does
        not restart it), so the process asks to be stopped and its supervisor starts it again.
        """
        while True:
            await asyncio.sleep(self.settings.watchdog_interval)
            if self._stopping:
                return
            # First, and without Redis: a process whose Redis client hangs must still notice.
            now = time.monotonic()
            stalled = [
                (reader, task)
                for reader, task in self._readers
                if now - reader.last_progress > self.settings.reader_stall_seconds
            ]
            if stalled:  # a read or a batch hung past every timeout: restart, don't limp on
                for reader, task in stalled:  # where it hangs, for whoever reads the log
                    log.critical(
                        "stream_reader_stalled_restarting_process",
                        stream=reader.stream,
                        stalled_for=round(now - reader.last_progress),
                        waiting_in=await_chain(reader.oldest_batch() or task),
                    )
                restart_process(f"{self.service}: stream_reader_stalled")
                return
            try:
                async with asyncio.timeout(30):
                    await ensure_groups(self.redis, group_pairs(self.partitions))
                # Consumers are pruned once idle for ten minutes: looking once a minute is
                # enough (every round, it was a few XINFO calls every two seconds for nothing).
                if now - self._pruned_at >= _PRUNE_EVERY:
                    self._pruned_at = now
                    await self._prune_consumers()
            except Exception as exc:  # Redis away: the subscribers retry on their own
                log.warning("watchdog_redis_unreachable", error=str(exc))
                continue
            stopped = [s for s in self.broker.subscribers if not s.running]
            if stopped:
                log.critical("subscriber_stopped_restarting_process", count=len(stopped))
                restart_process(f"{self.service}: subscriber_stopped")
                return
            ended = [t for t in self._tasks if t.done() and t is not asyncio.current_task()]
            # A loop that should run forever ended: restart rather than limp on.
            if ended and not self._stopping:
                for task in ended:
                    error = None if task.cancelled() else task.exception()
                    log.critical("background_task_ended", task=task.get_name(), error=repr(error))
                names = ", ".join(task.get_name() for task in ended)
                restart_process(f"{self.service}: background_task_ended ({names})")
                return

    def add_task(self, task: asyncio.Task[None]) -> None:
        self._tasks.append(task)

    async def stop(self) -> None:
        self._stopping = True
        await stop_tasks(self._tasks)
        self._tasks.clear()
        await self.broker.stop()
        await self.redis.aclose()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False, "redis": False}
        with contextlib.suppress(Exception):
            async with self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            checks["database"] = True
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):  # a Redis that hangs is a Redis that is away
                checks["redis"] = bool(await self.redis.ping())
        return checks

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ServiceRuntime]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()
