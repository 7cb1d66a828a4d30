"""Prometheus metrics of one service, in a registry of its own (tests build several apps).

HTTP latency, events published, consumed, dead-lettered and failed, and the consumer groups'
lag and pending entries (read from XINFO GROUPS when /metrics is scraped, so they are fresh).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from shared.contracts.streams import SUBSCRIPTIONS
from shared.messaging.partitions import dead_letter_stream, streams_read_by
from shared.messaging.redis_client import RedisClient

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """The service's instruments; `render()` is the body of GET /metrics."""

    def __init__(self, service: str, partitions: int = 1) -> None:
        self.service = service
        self.partitions = partitions
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_latency = Histogram(
            "waystation_http_request_duration_seconds",
            "HTTP request latency by route template and status.",
            ["method", "route", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.published = Counter(
            "waystation_events_published",
            "Events the outbox relay put on the service's stream.",
            ["event_type"],
            registry=r,
        )
        self.consumed = Counter(
            "waystation_events_consumed",
            "Events applied by the service's handlers (redeliveries not counted).",
            ["event_type"],
            registry=r,
        )
        self.handler_errors = Counter(
            "waystation_handler_errors",
            "Events whose handling failed (retry: left pending; permanent: dead-lettered).",
            ["stream", "kind"],
            registry=r,
        )
        self.dead_lettered = Counter(
            "waystation_events_dead_lettered",
            "Events this service moved to a dead-letter stream.",
            ["stream"],
            registry=r,
        )
        self.consumer_lag = Gauge(
            "waystation_consumer_lag",
            "Entries of the stream the service's group has not read yet (XINFO GROUPS lag).",
            ["stream", "group"],
            registry=r,
        )
        self.pending = Gauge(
            "waystation_consumer_pending",
            "Entries read by the service's group but not acknowledged.",
            ["stream", "group"],
            registry=r,
        )
        self.dead_letters = Gauge(
            "waystation_dead_letters",
            "Entries waiting in the dead-letter stream of each stream the service reads.",
            ["stream"],
            registry=r,
        )

    async def refresh_streams(self, redis: RedisClient) -> None:
        """Read lag, pending and dead-letter counts of every partition of every stream the
        service consumes (labelled by partition)."""
        if self.service not in SUBSCRIPTIONS:
            return
        for _producer, stream in streams_read_by(self.service, self.partitions):
            try:
                groups: list[dict[str, Any]] = await redis.xinfo_groups(stream)
                dead = int(await redis.xlen(dead_letter_stream(stream)))
            except Exception:  # no stream yet, or Redis away: keep the last reading
                continue
            for group in groups:
                name = _text(group.get("name"))
                if name != self.service:
                    continue
                self.pending.labels(stream, name).set(int(group.get("pending") or 0))
                lag = group.get("lag")
                if lag is not None:
                    self.consumer_lag.labels(stream, name).set(int(lag))
            self.dead_letters.labels(stream).set(dead)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
