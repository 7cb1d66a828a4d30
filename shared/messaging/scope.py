"""The context an event is applied in: its ids on every log line, and a span in its trace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import structlog

from shared.contracts.envelope import Envelope
from shared.platform.tracing import consuming_span


@contextmanager
def event_scope(envelope: Envelope, service: str, traceparent: str | None) -> Iterator[None]:
    """Bind correlation_id, case_id and the event to log lines; continue the producer's trace."""
    attributes = {
        "messaging.system": "redis",
        "messaging.operation": "process",
        "waystation.event_type": envelope.event_type,
        "waystation.event_id": str(envelope.event_id),
        "waystation.case_id": str(envelope.case_id),
        "waystation.producer": envelope.producer,
        "waystation.consumer": service,
    }
    with (
        structlog.contextvars.bound_contextvars(
            correlation_id=str(envelope.correlation_id),
            case_id=str(envelope.case_id),
            event_id=str(envelope.event_id),
            event_type=envelope.event_type,
        ),
        consuming_span(f"{service} apply {envelope.event_type}", traceparent, attributes),
    ):
        yield
