"""Abuse limits shared by every replica: a fixed-window counter per key in Redis (one Lua call).

While Redis cannot be reached the limiter does not fail the request: for up to
`fallback_seconds` it counts in the process's own memory (the same windows, per replica, so a
client may get up to replicas × the limit), then it answers 503 with Retry-After until Redis
is back. Redis is tried again at most once per `retry_seconds` while it is away, so an outage
costs a request no connection attempt of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from fastapi import HTTPException, Request
from redis.exceptions import RedisError

from shared.messaging.redis_client import RedisClient

log = structlog.get_logger(__name__)

# INCR and the first EXPIRE in one atomic step, so a crash between them cannot leave a
# counter that never expires; returns the count and the window's remaining milliseconds.
_WINDOW = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


@dataclass(frozen=True)
class Limit:
    """At most `requests` per `seconds` for one key."""

    requests: int
    seconds: int


class LimiterUnavailable(Exception):
    """Redis has been away longer than the limiter may count on its own."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limiter unavailable; retry in {retry_after}s")
        self.retry_after = retry_after


class _LocalWindows:
    """The same fixed windows in this process's memory, for while Redis is away."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, name: str, limit: Limit, now: float) -> tuple[int, float]:
        started, count = self._windows.get(name, (now, 0))
        if now - started >= limit.seconds:
            started, count = now, 0
        self._windows[name] = (started, count + 1)
        if len(self._windows) > 10_000:  # an outage under many addresses: forget old windows
            horizon = now - 3600
            self._windows = {k: v for k, v in self._windows.items() if v[0] > horizon}
        return count + 1, started + limit.seconds - now

    def clear(self) -> None:
        self._windows.clear()


class RateLimiter:
    def __init__(
        self,
        redis: RedisClient,
        prefix: str,
        *,
        fallback_seconds: float = 60.0,
        redis_timeout: float = 0.5,
        retry_seconds: float = 1.0,
        unavailable_retry_after: int = 5,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_WINDOW)
        self._fallback_seconds = fallback_seconds
        self._redis_timeout = redis_timeout
        self._retry_seconds = retry_seconds
        self._unavailable_retry_after = unavailable_retry_after
        self._now = monotonic
        self._local = _LocalWindows()
        self._down_since: float | None = None
        self._next_try = 0.0

    @property
    def degraded(self) -> bool:
        """True while Redis is away and requests are counted in this process."""
        return self._down_since is not None

    async def hit(self, bucket: str, key: str, limit: Limit) -> int:
        """Count one request; 0 when allowed, else the seconds until the window reopens.

        Raises LimiterUnavailable once Redis has been away for longer than the fallback.
        """
        name = f"ratelimit:{self.prefix}:{bucket}:{key}"
        now = self._now()
        if self._down_since is None or now >= self._next_try:
            try:
                async with asyncio.timeout(self._redis_timeout):
                    count, ttl_ms = await self._script(keys=[name], args=[limit.seconds * 1000])
            except (RedisError, OSError, TimeoutError) as exc:
                self._went_down(now, exc)
            else:
                if self._down_since is not None:
                    log.info("ratelimit_redis_back", away_s=round(now - self._down_since, 1))
                    self._down_since = None
                    self._local.clear()
                return self._verdict(int(count), int(ttl_ms) / 1000, limit)
        assert self._down_since is not None
        away = now - self._down_since
        if away >= self._fallback_seconds:
            raise LimiterUnavailable(self._unavailable_retry_after)
        count, remaining = self._local.hit(name, limit, now)
        return self._verdict(count, remaining, limit)

    def _went_down(self, now: float, exc: BaseException) -> None:
        if self._down_since is None:
            self._down_since = now
            log.warning(
                "ratelimit_redis_unreachable_counting_locally",
                error=f"{type(exc).__name__}: {exc}",
                for_at_most_s=self._fallback_seconds,
            )
        self._next_try = now + self._retry_seconds

    @staticmethod
    def _verdict(count: int, remaining_s: float, limit: Limit) -> int:
        if count <= limit.requests:
            return 0
        return max(1, -(-int(remaining_s * 1000) // 1000))

    def dependency(
        self,
        bucket: str,
        limit: Limit,
        extra: Callable[[Request], Awaitable[str]] | None = None,
        methods: frozenset[str] = frozenset({"POST"}),
    ) -> Callable[[Request], Awaitable[None]]:
        """A route dependency: 429 with Retry-After once the client's window is full, 503 with
        Retry-After when the limiter can neither reach Redis nor count on its own any longer."""

        async def check(request: Request) -> None:
            if request.method not in methods:
                return
            client = request.client.host if request.client else "unknown"
            key = client + (f"|{await extra(request)}" if extra else "")
            try:
                wait = await self.hit(bucket, key, limit)
            except LimiterUnavailable as exc:
                raise HTTPException(
                    503,
                    f"temporarily unavailable; retry in {exc.retry_after}s",
                    headers={"Retry-After": str(exc.retry_after)},
                ) from exc
            if wait:
                raise HTTPException(
                    429, f"too many requests; retry in {wait}s", headers={"Retry-After": str(wait)}
                )

        # The OpenAPI documents read it (shared.platform.error_docs): these methods may get 429
        # and 503.
        check.rate_limited_methods = methods  # type: ignore[attr-defined]
        return check
