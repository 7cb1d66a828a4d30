"""Intake's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing, asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request

from services.intake.adapters.blobs import BlobStore
from services.intake.adapters.exchange_access import ExchangeAccess
from services.intake.adapters.jurisdictions import DEMO_FILE, JurisdictionMap
from services.intake.adapters.mediation_access import MediationAccess
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.adapters.tables import AUDIT, KIT, IdempotencyRecord
from services.intake.config import IntakeSettings
from services.intake.domain.duplicates import DuplicatePolicy
from services.intake.entrypoints import (
    admin_http,
    attachments_http,
    auth_http,
    cases_http,
    contact_http,
    disputes_http,
    events,
    hazards_http,
    identity_http,
    jurisdictions_http,
    open311_errors,
    open311_requests_http,
    open311_services_http,
    open311_updates_http,
    rider_http,
    rider_pages,
    tracking_http,
)
from services.intake.entrypoints.dependencies import Intake
from services.intake.entrypoints.ratelimit import Limit, RateLimiter
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer import projection
from services.intake.service_layer.context import Context
from services.intake.service_layer.retention import run_retention
from shared.platform.audit.log import AuditLog
from shared.platform.auth.keys import load_keys
from shared.platform.clock import Clock
from shared.platform.runtime import ServiceRuntime
from shared.platform.service_app import service_app, service_clock

MIGRATIONS = Path(__file__).parent / "migrations"


def _form(field: str) -> Callable[[Request], Awaitable[str]]:
    """A form field as part of the rate-limit key (the form is parsed once; routes reuse it)."""

    async def value(request: Request) -> str:
        form = await request.form()
        return str(form.get(field, ""))[:100]

    return value


def create_app(settings: IntakeSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    clock = service_clock(settings, clock)
    keys = load_keys(settings.environment, signer=True)
    runtime = ServiceRuntime(
        settings, KIT, events.handlers(), MIGRATIONS, prepare=projection.prepare, clock=clock
    )
    cipher = PiiCipher(*settings.pii_keys())
    audit = AuditLog(settings.service_name, AUDIT, runtime.sessions)
    jurisdictions_file = settings.jurisdictions_file or DEMO_FILE
    ctx = Context(
        jurisdictions=JurisdictionMap.from_file(jurisdictions_file),
        duplicates=DuplicatePolicy(
            radius_m=settings.duplicate_radius_m,
            window=timedelta(hours=settings.duplicate_window_hours),
        ),
        clock=clock,
        cipher=cipher,
    )
    uploads = Uploads(BlobStore(settings.attachments_path()), settings.attachment_max_bytes, clock)
    exchange = ExchangeAccess(settings.dispatch_url)
    assert keys.private_pem is not None, "intake signs tokens: it needs the private key"
    intake = Intake(
        settings=settings,
        context=ctx,
        uploads=uploads,
        audit=audit,
        cipher=cipher,
        keys=keys,
        mediation=MediationAccess(settings.mediation_url),
        exchange=exchange,
        # Read once when the app is built: the boundaries change with a deployment.
        jurisdictions=json.loads(jurisdictions_file.read_text(encoding="utf-8")),
    )

    @asynccontextmanager
    async def started() -> AsyncIterator[None]:
        async with aclosing(exchange):
            runtime.add_task(
                asyncio.create_task(
                    run_retention(
                        runtime.uow,
                        clock,
                        settings.retention_days,
                        settings.retention_interval_seconds,
                    ),
                    name="intake-retention",
                )
            )
            yield

    def routes(app: FastAPI) -> None:
        """Intake's own routes, behind their rate limits; Open311 answers in its own format."""
        open311_errors.install(app)
        limiter = RateLimiter(
            runtime.redis,
            settings.service_name,
            fallback_seconds=settings.ratelimit_fallback_seconds,
        )
        per_minute = Limit(settings.public_posts_per_minute, 60)
        login = limiter.dependency("login", Limit(settings.login_per_minute, 60), _form("username"))
        rider = [Depends(limiter.dependency("rider", per_minute))]
        track = [Depends(limiter.dependency("track", per_minute))]
        open311 = [Depends(limiter.dependency("open311", per_minute, _form("api_key")))]
        app.include_router(auth_http.router, dependencies=[Depends(login)])
        for officers in (disputes_http, hazards_http, cases_http, attachments_http):
            app.include_router(officers.router)
        app.include_router(identity_http.router)
        app.include_router(contact_http.router)
        app.include_router(rider_http.router, dependencies=rider)
        app.include_router(rider_pages.router, dependencies=rider)
        app.include_router(admin_http.router)
        app.include_router(tracking_http.router, dependencies=track)
        for open311_routes in (open311_services_http, open311_requests_http, open311_updates_http):
            app.include_router(open311_routes.router, dependencies=open311)
        app.include_router(jurisdictions_http.router)

    app = service_app(
        settings,
        runtime,
        keys,
        clock,
        title="Waystation intake 受理",
        version="0.2.0",
        description=(
            "The front door: disputes and hazards, triage, duplicates, attachments, tracking"
            " codes, timelines; Open311 GeoReport v2 at /open311/v2/."
        ),
        idempotency=IdempotencyRecord.__table__,  # type: ignore[attr-defined]
        audit=audit,
        started=started,
        # Idempotency-Key is honoured by the routes that create (entrypoints/idempotent.py).
        idempotency_middleware=False,
        routes=routes,
    )
    app.state.intake = intake  # what the routes are handed (entrypoints/dependencies.py)
    return app
