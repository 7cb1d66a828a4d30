"""Per-request observability: ids on every log line, latency metrics, spans, and /metrics."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from fastapi import FastAPI, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.messaging.redis_client import RedisClient
from shared.platform.metrics import ServiceMetrics
from shared.platform.tracing import tracing_configured

REQUEST_ID = "X-Request-Id"
CORRELATION_ID = "X-Correlation-Id"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestContextMiddleware:
    """Binds request_id, correlation_id and (from the path) case_id; times the request.

    A caller's X-Correlation-Id is kept when it is a plain token (else a new one is made); both
    ids are echoed on the response. The case is the first UUID in the path, so lines logged
    while serving /cases/{id}/... name it.
    """

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = _token(headers.get("x-request-id")) or uuid.uuid4().hex
        correlation_id = _token(headers.get("x-correlation-id")) or request_id
        found = _UUID.search(scope.get("path", ""))
        fields: dict[str, Any] = {"request_id": request_id, "correlation_id": correlation_id}
        if found:
            fields["case_id"] = found.group(0).lower()
        status = 500

        async def send_with_ids(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [
                    (REQUEST_ID.encode(), request_id.encode()),
                    (CORRELATION_ID.encode(), correlation_id.encode()),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        started = time.perf_counter()
        try:
            with structlog.contextvars.bound_contextvars(**fields):
                await self.app(scope, receive, send_with_ids)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.http_latency.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )


def _token(value: str | None) -> str | None:
    return value if value and _SAFE_ID.match(value) else None


def install_observability(app: FastAPI, metrics: ServiceMetrics, redis: RedisClient) -> None:
    """Request ids and latency on every route, request spans where tracing is configured, and
    GET /metrics.

    Without a tracer provider (`configure_tracing` found no exporter) every span would be a
    no-op, yet OpenTelemetry's FastAPI middleware still matched each request against the
    routes and built its attributes: 0.25-0.3 ms of CPU per request (issue #21, section 20).
    So the request spans are installed only where they are recorded."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    if tracing_configured():
        FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        await metrics.refresh_streams(redis)
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
