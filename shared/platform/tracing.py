"""OpenTelemetry traces that follow one case across services (W3C traceparent in event headers).

A request's span (or the span applying an event) is current when an event is emitted; its
traceparent is stored with the outbox row, published as an event header by the relay, and
extracted by the consumer, whose span is then a child of the producer's. One trace therefore
spans intake → dispatch/mediation → notify.

Exporters, chosen by environment: `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP over HTTP) and/or
`WAYSTATION_TRACE_DIR` (JSON lines, one file per process, for tests and offline runs). With
neither, no provider is installed and every span is a no-op.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Span, SpanKind

TRACEPARENT = "traceparent"
_tracer = trace.get_tracer("waystation")


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, or None when nothing is being traced."""
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get(TRACEPARENT)


@contextmanager
def consuming_span(
    name: str, traceparent: str | None, attributes: Mapping[str, str]
) -> Iterator[Span]:
    """A consumer span, child of the producer's span named by `traceparent` (if any)."""
    parent = extract({TRACEPARENT: traceparent}) if traceparent else otel_context.Context()
    with _tracer.start_as_current_span(
        name, context=parent, kind=SpanKind.CONSUMER, attributes=dict(attributes)
    ) as span:
        yield span


def header_traceparent(headers: Mapping[str, Any]) -> str | None:
    value = headers.get(TRACEPARENT)
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    return value if isinstance(value, str) and value else None


def current_trace_id() -> str | None:
    """Hex trace id of the current span (for log lines), None outside a recorded span."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


class JsonLinesSpanExporter(SpanExporter):
    """Writes finished spans as JSON lines (trace id, span id, parent, name, service)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(_span_record(s), ensure_ascii=False) for s in spans]
        with self._lock, self._path.open("a", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
        return SpanExportResult.SUCCESS


def _span_record(span: ReadableSpan) -> dict[str, Any]:
    ctx = span.context
    return {
        "trace_id": format(ctx.trace_id, "032x") if ctx else None,
        "span_id": format(ctx.span_id, "016x") if ctx else None,
        "parent_id": format(span.parent.span_id, "016x") if span.parent else None,
        "name": span.name,
        "kind": span.kind.name,
        "service": span.resource.attributes.get("service.name"),
        "start": span.start_time,
        "end": span.end_time,
        "attributes": {k: str(v) for k, v in (span.attributes or {}).items()},
    }


def configure_tracing(service: str) -> bool:
    """Install the process's tracer provider from the environment; False when none is set."""
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    folder = os.environ.get("WAYSTATION_TRACE_DIR")
    if not endpoint and not folder:
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if folder:
        exporter = JsonLinesSpanExporter(Path(folder) / f"{service}-{os.getpid()}.jsonl")
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=200))
    trace.set_tracer_provider(provider)
    return True


def tracing_configured() -> bool:
    """Whether `configure_tracing` installed a provider: spans are recorded and exported."""
    from opentelemetry.sdk.trace import TracerProvider

    return isinstance(trace.get_tracer_provider(), TracerProvider)


def shutdown_tracing() -> None:
    """Flush buffered spans (called when the service stops)."""
    provider = trace.get_tracer_provider()
    shutdown = getattr(provider, "shutdown", None)
    if callable(shutdown):
        shutdown()
