"""shared.platform.service_app: the one app factory: what every service gets, and the
lifespan's order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from redis.asyncio import Redis

from shared.platform.auth.keys import TokenKeys
from shared.platform.clock import FrozenClock
from shared.platform.idempotency import idempotency_table
from shared.platform.metrics import ServiceMetrics
from shared.platform.runtime import ServiceRuntime
from shared.platform.service_app import service_app
from shared.platform.settings import ServiceSettings
from shared.platform.training_clock import TrainingClock

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


class FakeRuntime:
    """What the factory uses of a runtime; nothing connects (the Redis client is lazy)."""

    service = "svc"

    def __init__(self) -> None:
        self.metrics = ServiceMetrics(self.service)
        self.redis = Redis.from_url("redis://127.0.0.1:9")
        self.sessions = None
        self.steps: list[str] = []

    async def readiness(self) -> dict[str, bool]:
        return {"database": True, "redis": True}

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeRuntime]:
        self.steps.append("runtime started")
        yield self
        self.steps.append("runtime stopped")

    def add_task(self, task: asyncio.Task[None]) -> None:
        task.cancel()  # never touches a database here
        self.steps.append(f"task {task.get_name()}")


def _app(runtime: FakeRuntime, clock: Any, **kw: Any) -> FastAPI:
    router = APIRouter()

    @router.get("/own")
    async def own() -> dict[str, str]:
        return {"service": "own"}

    return service_app(
        ServiceSettings(service_name="svc"),
        cast(ServiceRuntime, runtime),
        TokenKeys(public_pem=b""),
        clock,
        title="t",
        version="0",
        description="d",
        idempotency=idempotency_table(sa.MetaData()),
        routes=lambda app: app.include_router(router),
        **kw,
    )


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_every_service_gets_health_docs_metrics_and_its_own_routes() -> None:
    runtime = FakeRuntime()
    app = _app(runtime, FrozenClock(AT))
    assert app.state.runtime is runtime
    for path in ("/healthz", "/readyz", "/docs", "/metrics", "/own"):
        assert (await _get(app, path)).status_code == 200, path
    paths = app.openapi()["paths"]
    assert "/own" in paths
    assert "/api/v1/admin/clock" not in paths  # no training clock, no clock routes


async def test_a_training_clock_brings_its_routes() -> None:
    app = _app(FakeRuntime(), TrainingClock(FrozenClock(AT)))
    assert "/api/v1/admin/clock" in app.openapi()["paths"]


async def test_the_service_starts_inside_the_running_runtime_then_tidying_begins() -> None:
    runtime = FakeRuntime()

    @asynccontextmanager
    async def started() -> AsyncIterator[None]:
        runtime.steps.append("service started")
        yield
        runtime.steps.append("service stopped")

    app = _app(runtime, FrozenClock(AT), started=started)
    async with app.router.lifespan_context(app):
        runtime.steps.append("serving")
    assert runtime.steps == [
        "runtime started",
        "service started",
        "task svc-idempotency-tidy",
        "serving",
        "service stopped",
        "runtime stopped",
    ]
