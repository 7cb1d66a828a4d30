"""Intake's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from services.intake.adapters.jurisdictions import DEMO_FILE, JurisdictionMap
from services.intake.adapters.tables import KIT
from services.intake.config import IntakeSettings
from services.intake.entrypoints import events, http
from shared.http import health_router, install_error_handlers
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime(settings, KIT, events.handlers(), MIGRATIONS)
    jurisdictions = JurisdictionMap.from_file(settings.jurisdictions_file or DEMO_FILE)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield

    app = FastAPI(
        title="Waystation intake 受理",
        version="0.1.0",
        description="The front door: disputes and hazards, triage, tracking codes, timelines.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(health_router(runtime.readiness))
    app.include_router(http.build_router(runtime, jurisdictions))
    return app
