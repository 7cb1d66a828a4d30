"""Putting outbox rows on their streams: one pipelined round trip per batch."""

from __future__ import annotations

from collections.abc import Sequence

from faststream.redis import RedisBroker
from redis.asyncio import Redis

from shared.messaging.relay import OutgoingEvent
from shared.tracing import TRACEPARENT


async def publish_events(
    broker: RedisBroker,
    redis: Redis,
    events: Sequence[OutgoingEvent],
    extra_headers: dict[str, str] | None = None,
) -> None:
    """XADD each event (FastStream's wire format, so subscribers and telemetry see headers)."""
    async with redis.pipeline(transaction=False) as pipe:
        for e in events:
            headers = {"event_type": e.event_type, "case_id": e.case_id, **(extra_headers or {})}
            if e.traceparent:
                headers[TRACEPARENT] = e.traceparent
            await broker.publish(
                e.body.encode(),
                stream=e.stream,
                headers=headers,
                correlation_id=e.correlation_id,
                pipeline=pipe,
            )
        await pipe.execute()
