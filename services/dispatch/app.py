"""Dispatch's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from services.dispatch.adapters.directory_file import load_directory
from services.dispatch.adapters.tables import KIT
from services.dispatch.config import DispatchSettings
from services.dispatch.entrypoints import events, http
from shared.http import health_router, install_error_handlers
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: DispatchSettings | None = None, now: Callable[[], datetime] = _utcnow
) -> FastAPI:
    settings = settings or DispatchSettings()
    directory = load_directory(settings.directory_file)
    runtime = ServiceRuntime(settings, KIT, events.handlers(directory, now), MIGRATIONS)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield

    app = FastAPI(
        title="Waystation dispatch 派单",
        version="0.1.0",
        description="Hazards routed to the responsible department and followed to a confirmed fix.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(health_router(runtime.readiness))
    app.include_router(http.build_router(runtime))
    return app
