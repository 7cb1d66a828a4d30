"""The raw transport baseline: bare redis-py XADD -> XREADGROUP -> XACK over N messages."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import cast

from shared.messaging.redis_client import make_redis


@dataclass(frozen=True)
class BaselineResult:
    messages: int
    payload_bytes: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def run_baseline(url: str, messages: int, payload_bytes: int) -> BaselineResult:
    """Producer and consumer run together; latency is XADD -> XACK of each message.

    `url` may name a Redis Cluster (redis+cluster://): the one stream lives on one master."""
    redis = make_redis(url)
    stream, group = "bench.baseline", "baseline"
    await redis.delete(stream)
    await redis.xgroup_create(stream, group, id="0", mkstream=True)
    payload = b"x" * payload_bytes
    sent: dict[bytes, float] = {}
    latencies: list[float] = []

    async def produce() -> None:
        for _ in range(messages):
            entry = await redis.xadd(stream, {"__data__": payload})
            sent[entry if isinstance(entry, bytes) else entry.encode()] = time.perf_counter()

    async def consume() -> None:
        acked = 0
        while acked < messages:
            got = cast(
                list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]],
                await redis.xreadgroup(group, "c", {stream: ">"}, count=100, block=100),
            )
            for _name, entries in got or []:
                for entry_id, _fields in entries:
                    await redis.xack(stream, group, entry_id)
                    acked += 1
                    if entry_id in sent:
                        latencies.append((time.perf_counter() - sent[entry_id]) * 1000)

    started = time.perf_counter()
    await asyncio.gather(produce(), consume())
    seconds = time.perf_counter() - started
    await redis.delete(stream)
    await redis.aclose()
    return BaselineResult(
        messages,
        payload_bytes,
        round(seconds, 3),
        round(messages / seconds, 1),
        round(percentile(latencies, 50), 2),
        round(percentile(latencies, 99), 2),
    )
