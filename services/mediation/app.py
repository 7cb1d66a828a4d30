"""Mediation's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from services.mediation.adapters.roster_file import load_roster
from services.mediation.adapters.tables import KIT
from services.mediation.config import MediationSettings
from services.mediation.entrypoints import events, http
from shared.http import health_router, install_error_handlers
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: MediationSettings | None = None, now: Callable[[], datetime] = _utcnow
) -> FastAPI:
    settings = settings or MediationSettings()
    roster = load_roster(settings.roster_file)
    runtime = ServiceRuntime(settings, KIT, events.handlers(roster, now), MIGRATIONS)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield

    app = FastAPI(
        title="Waystation mediation 调解",
        version="0.1.0",
        description="Labour-dispute mediation: lifecycle, duty roster, agreements, performance.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(health_router(runtime.readiness))
    app.include_router(http.build_router(runtime, now))
    return app
