"""The rate limiter while Redis is away: it counts in memory for a bounded time, then answers
503 with Retry-After, and goes back to Redis once Redis answers again."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import Depends, FastAPI
from redis.asyncio import Redis

from services.intake.entrypoints.ratelimit import Limit, LimiterUnavailable, RateLimiter
from shared.platform.http import install_error_handlers
from tests.chaos.faults import RedisProcess
from tests.infra import free_port

pytestmark = pytest.mark.integration


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_without_redis_the_limit_is_still_counted_in_memory_then_refused_with_503():
    ticks = Ticks()
    away = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    limiter = RateLimiter(away, "test", fallback_seconds=30, monotonic=ticks)
    limit = Limit(3, 60)
    try:
        waits = [await limiter.hit("b", "1.2.3.4", limit) for _ in range(4)]
        assert limiter.degraded
        assert waits[:3] == [0, 0, 0] and 1 <= waits[3] <= 60  # the 4th is over the limit
        assert await limiter.hit("b", "5.6.7.8", limit) == 0  # another address has its own
        ticks.now += 31  # longer than the fallback may last
        with pytest.raises(LimiterUnavailable) as refused:
            await limiter.hit("b", "5.6.7.8", limit)
        assert refused.value.retry_after >= 1
    finally:
        await away.aclose()


async def test_the_limiter_returns_to_redis_when_it_is_back(tmp_path: Path):
    server = RedisProcess(tmp_path / "redis", aof=False)
    server.start()
    client = Redis.from_url(server.url, socket_connect_timeout=1)
    ticks = Ticks()
    limiter = RateLimiter(client, "test", fallback_seconds=30, retry_seconds=1, monotonic=ticks)
    limit = Limit(100, 60)
    try:
        assert await limiter.hit("b", "k", limit) == 0
        assert not limiter.degraded
        server.kill()
        assert await limiter.hit("b", "k", limit) == 0
        assert limiter.degraded
        server.start()
        ticks.now += 1.5  # past the retry interval: Redis is asked again
        assert await limiter.hit("b", "k", limit) == 0
        assert not limiter.degraded
        assert int(await client.get("ratelimit:test:b:k")) == 1  # counted in Redis again
    finally:
        await client.aclose()
        server.kill()


async def test_a_limited_route_answers_503_with_retry_after_not_500_once_the_fallback_is_over():
    away = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    limiter = RateLimiter(away, "test", fallback_seconds=0)
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/limited", dependencies=[Depends(limiter.dependency("b", Limit(10, 60)))])
    async def limited() -> dict[str, str]:
        return {"ok": "yes"}

    @app.post("/uses-redis")
    async def uses_redis() -> dict[str, str]:
        await away.ping()
        return {"ok": "yes"}

    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            limited_answer = await client.post("/limited")
            direct_answer = await client.post("/uses-redis")
    finally:
        await away.aclose()
    for answer in (limited_answer, direct_answer):
        assert answer.status_code == 503, answer.text
        assert int(answer.headers["retry-after"]) >= 1
