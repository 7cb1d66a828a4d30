"""Abuse limits shared by every replica: a fixed-window counter per key in Redis (one Lua call)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request
from redis.asyncio import Redis

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


class RateLimiter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_WINDOW)

    async def hit(self, bucket: str, key: str, limit: Limit) -> int:
        """Count one request; 0 when allowed, else the seconds until the window reopens."""
        name = f"ratelimit:{self.prefix}:{bucket}:{key}"
        count, ttl_ms = await self._script(keys=[name], args=[limit.seconds * 1000])
        if int(count) <= limit.requests:
            return 0
        return max(1, -(-int(ttl_ms) // 1000))

    def dependency(
        self,
        bucket: str,
        limit: Limit,
        extra: Callable[[Request], Awaitable[str]] | None = None,
        methods: frozenset[str] = frozenset({"POST"}),
    ) -> Callable[[Request], Awaitable[None]]:
        """A route dependency: 429 with Retry-After once the client's window is full."""

        async def check(request: Request) -> None:
            if request.method not in methods:
                return
            client = request.client.host if request.client else "unknown"
            key = client + (f"|{await extra(request)}" if extra else "")
            wait = await self.hit(bucket, key, limit)
            if wait:
                raise HTTPException(
                    429, f"too many requests; retry in {wait}s", headers={"Retry-After": str(wait)}
                )

        return check
