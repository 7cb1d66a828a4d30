"""Putting outbox rows on their streams: one pipelined round trip per batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from faststream.redis import RedisBroker, RedisClusterBroker
from redis.asyncio import Redis

from shared.messaging.redis_client import RedisClient
from shared.messaging.relay import OutgoingEvent
from shared.platform.tracing import TRACEPARENT


def _headers(e: OutgoingEvent, extra_headers: dict[str, str] | None) -> dict[str, str]:
    headers = {"event_type": e.event_type, "case_id": e.case_id, **(extra_headers or {})}
    if e.traceparent:
        headers[TRACEPARENT] = e.traceparent
    return headers


async def publish_events(
    broker: RedisBroker,
    redis: RedisClient,
    events: Sequence[OutgoingEvent],
    extra_headers: dict[str, str] | None = None,
) -> None:
    """XADD each event (FastStream's wire format, so subscribers and telemetry see headers)."""
    if isinstance(broker, RedisClusterBroker) or not isinstance(redis, Redis):
        await _publish_to_cluster(broker, events, extra_headers)
        return
    async with redis.pipeline(transaction=False) as pipe:
        for e in events:
            await broker.publish(
                e.body.encode(),
                stream=e.stream,
                headers=_headers(e, extra_headers),
                correlation_id=e.correlation_id,
                pipeline=pipe,
            )
        await pipe.execute()


async def _publish_to_cluster(
    broker: RedisBroker, events: Sequence[OutgoingEvent], extra_headers: dict[str, str] | None
) -> None:
    """FastStream's cluster broker takes no pipeline: each partition's events are XADDed in
    order, one after another (a case's order holds), the partitions side by side."""
    by_stream: dict[str, list[OutgoingEvent]] = {}
    for e in events:
        by_stream.setdefault(e.stream, []).append(e)

    async def in_order(batch: list[OutgoingEvent]) -> None:
        for e in batch:
            await broker.publish(
                e.body.encode(),
                stream=e.stream,
                headers=_headers(e, extra_headers),
                correlation_id=e.correlation_id,
            )

    await asyncio.gather(*(in_order(batch) for batch in by_stream.values()))
