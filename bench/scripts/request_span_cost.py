"""What OpenTelemetry's FastAPI middleware costs a request when no tracer provider records it
(issue #21, section 20): one POST through a FastAPI app of 41 routes, with and without
`FastAPIInstrumentor.instrument_app`, called in-process (no server, no client), CPU per request.

Run from the repository root: .venv/bin/python bench/scripts/request_span_cost.py
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from rich.console import Console

console = Console(highlight=False, markup=False)


def make(instrument: bool) -> FastAPI:
    """Forty GET routes with a path parameter (intake declares 43 routes) and the POST measured."""
    app = FastAPI()
    for i in range(40):
        app.add_api_route(f"/r{i}/{{x}}", lambda x: {"x": x}, methods=["GET"])

    @app.post("/api/v1/hazards")
    async def post() -> dict[str, bool]:
        return {"ok": True}

    if instrument:
        FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


async def run(app: FastAPI, n: int) -> float:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(m: dict[str, Any]) -> None:
        sent.append(m)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/hazards",
        "raw_path": b"/api/v1/hazards",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"x"), (b"content-type", b"application/json")],
        "client": ("1.2.3.4", 5),
        "server": ("x", 80),
    }
    for _ in range(200):
        await app(dict(scope), receive, send)
    t = time.process_time()
    for _ in range(n):
        await app(dict(scope), receive, send)
    return (time.process_time() - t) / n * 1e6


def main() -> None:
    for _ in range(2):
        for instrumented in (False, True):
            cost = asyncio.run(run(make(instrumented), 5000))
            console.print(
                f"{'instrumented' if instrumented else 'plain':12s} {cost:.0f} µs per request"
            )


if __name__ == "__main__":
    main()
