"""Intake's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from services.intake.adapters.blobs import BlobStore
from services.intake.adapters.jurisdictions import DEMO_FILE, JurisdictionMap
from services.intake.adapters.tables import KIT
from services.intake.config import IntakeSettings
from services.intake.domain.duplicates import DuplicatePolicy
from services.intake.entrypoints import console, events, http, open311_http, tracking_http
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer.triage import Triage
from shared.clock import Clock, SystemClock
from shared.http import health_router, install_error_handlers
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    clock = clock or SystemClock()
    runtime = ServiceRuntime(settings, KIT, events.handlers(), MIGRATIONS)
    triage = Triage(
        jurisdictions=JurisdictionMap.from_file(settings.jurisdictions_file or DEMO_FILE),
        duplicates=DuplicatePolicy(
            radius_m=settings.duplicate_radius_m,
            window=timedelta(hours=settings.duplicate_window_hours),
        ),
        clock=clock,
    )
    uploads = Uploads(
        runtime, BlobStore(settings.attachments_path()), settings.attachment_max_bytes, clock
    )

    pages = console.build_console(settings, settings.jurisdictions_file or DEMO_FILE)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield
        await pages.backends.client.aclose()

    app = FastAPI(
        title="Waystation intake 受理",
        version="0.2.0",
        description=(
            "The front door: disputes and hazards, triage, duplicates, attachments, tracking"
            " codes, timelines; Open311 GeoReport v2 at /open311/v2/."
        ),
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    open311_http.install(app)
    app.include_router(health_router(runtime.readiness))
    app.include_router(http.build_router(runtime, triage, uploads))
    app.include_router(tracking_http.build_router(runtime, triage, uploads))
    app.include_router(open311_http.build_router(runtime, triage, settings, uploads))
    console.install(app, pages)
    return app
