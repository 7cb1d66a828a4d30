"""Intake's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

import asyncio
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
    auth_http,
    cases_http,
    contact_http,
    events,
    identity_http,
    jurisdictions_http,
    open311_http,
    rider_http,
    rider_pages,
    tracking_http,
)
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer import projection
from services.intake.service_layer.retention import run_retention
from services.intake.service_layer.triage import Triage
from shared.audit.log import AuditLog
from shared.auth.keys import load_keys
from shared.clock import Clock
from shared.ratelimit import Limit, RateLimiter
from shared.runtime import ServiceRuntime
from shared.service_app import service_app, service_clock

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
    triage = Triage(
        jurisdictions=JurisdictionMap.from_file(jurisdictions_file),
        duplicates=DuplicatePolicy(
            radius_m=settings.duplicate_radius_m,
            window=timedelta(hours=settings.duplicate_window_hours),
        ),
        clock=clock,
        cipher=cipher,
    )
    uploads = Uploads(
        runtime, BlobStore(settings.attachments_path()), settings.attachment_max_bytes, clock
    )

    exchange = ExchangeAccess(settings.dispatch_url)

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
        open311_http.install(app)
        limiter = RateLimiter(
            runtime.redis,
            settings.service_name,
            fallback_seconds=settings.ratelimit_fallback_seconds,
        )
        per_minute = Limit(settings.public_posts_per_minute, 60)
        login = limiter.dependency("login", Limit(settings.login_per_minute, 60), _form("username"))
        app.include_router(auth_http.build_router(runtime, keys, settings.token_ttl_seconds, login))
        mediation = MediationAccess(settings.mediation_url)
        notices = cases_http.Notices(settings.self_url, settings.sms_notices)
        app.include_router(
            cases_http.build_router(runtime, triage, uploads, audit, mediation, notices)
        )
        app.include_router(identity_http.build_router(runtime, cipher, audit))
        app.include_router(contact_http.build_router(runtime, audit))
        app.include_router(
            rider_http.build_router(
                runtime, triage, cipher, keys, settings.token_ttl_seconds, audit
            ),
            dependencies=[Depends(limiter.dependency("rider", per_minute))],
        )
        app.include_router(
            rider_pages.build_router(
                runtime,
                triage,
                cipher,
                keys,
                settings.token_ttl_seconds,
                audit,
                exchange,
                secure=settings.self_url.startswith("https://"),
            ),
            dependencies=[Depends(limiter.dependency("rider", per_minute))],
        )
        app.include_router(admin_http.build_router(runtime))
        app.include_router(
            tracking_http.build_router(runtime, triage, uploads, audit),
            dependencies=[Depends(limiter.dependency("track", per_minute))],
        )
        app.include_router(
            open311_http.build_router(runtime, triage, settings, uploads, audit),
            dependencies=[Depends(limiter.dependency("open311", per_minute, _form("api_key")))],
        )
        app.include_router(jurisdictions_http.build_router(jurisdictions_file))

    return service_app(
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
