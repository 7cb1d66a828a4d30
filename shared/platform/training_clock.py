"""The training clock: in development and training deployments, an admin moves the system's
clock forward so a class (or a demo) can watch the legal clocks run out without waiting.

The offset lives in Redis (one key every service reads), so the four services move together;
each service's `TrainingClock` is its base clock plus the largest offset it has seen. It only
moves forward: a timer that fired stays fired (the kit claims each (case, kind, due time) once),
so advancing again never fires anything twice. Production refuses it at start-up (settings).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import structlog

from shared.messaging.redis_client import RedisClient
from shared.platform.clock import Clock, SystemClock

log = structlog.get_logger(__name__)

KEY = "waystation:training-clock:offset-seconds"
MAX_STEP = timedelta(days=400)  # one advance: a year of clocks and some, not a typo's century


class TrainingClock:
    """The base clock plus an offset that only grows."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self._base.now() + self.offset

    def follow(self, offset: timedelta) -> bool:
        """Take a larger offset; a smaller one (a stale read) changes nothing."""
        if offset <= self.offset:
            return False
        self.offset = offset
        log.info("training_clock_moved", offset_seconds=int(offset.total_seconds()))
        return True

    async def sync(self, redis: RedisClient) -> timedelta:
        self.follow(await stored_offset(redis))
        return self.offset

    async def keep_in_step(self, redis: RedisClient, interval: float) -> None:
        """Follow the shared offset for as long as the service runs."""
        while True:
            try:
                await self.sync(redis)
            except Exception as exc:  # Redis away: keep the offset we have, try again
                log.warning("training_clock_sync_failed", error=str(exc))
            await asyncio.sleep(interval)


async def stored_offset(redis: RedisClient) -> timedelta:
    raw = await redis.get(KEY)
    return timedelta(seconds=int(raw)) if raw else timedelta(0)


async def advance(redis: RedisClient, step: timedelta) -> timedelta:
    """Move every service's clock forward by `step` (whole seconds); the new total offset."""
    seconds = int(step.total_seconds())
    if seconds <= 0 or step > MAX_STEP:
        raise ValueError(f"advance by more than 0 and at most {MAX_STEP.days} days")
    return timedelta(seconds=int(await redis.incrby(KEY, seconds)))


def with_training(enabled: bool, base: Clock | None = None) -> Clock:
    """The service's clock: a training clock around `base` when enabled, else `base` itself."""
    return TrainingClock(base) if enabled else (base or SystemClock())
