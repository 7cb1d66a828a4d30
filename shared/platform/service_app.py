"""The one app factory of the four services: what every service's `create_app` sets up alike.

A service builds its own parts (settings, runtime, context, routers) and hands them here; the
factory adds the rest in one order: offline docs, error handlers, observability, auth,
idempotency, the body limit, health, audit, the training clock's routes; and a lifespan that
starts the runtime, then the service's own start-up, then the tidying of stored answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

import sqlalchemy as sa
from fastapi import FastAPI

from shared.platform.api_docs import install_offline_docs
from shared.platform.audit.http import audit_router
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import install_auth
from shared.platform.auth.keys import TokenKeys
from shared.platform.clock import Clock, SystemClock
from shared.platform.http import BodyLimit, health_router, install_error_handlers
from shared.platform.idempotency import install_idempotency, tidy_answers
from shared.platform.observability import install_observability
from shared.platform.runtime import ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.training_clock import TrainingClock, with_training
from shared.platform.training_clock_http import training_clock_router

StartUp = Callable[[], AbstractAsyncContextManager[None]]


def service_clock(settings: ServiceSettings, clock: Clock | None = None) -> Clock:
    """The service's clock: `clock` (the wall clock by default), a training clock when on."""
    return with_training(settings.training_clock, clock or SystemClock())


def service_app(
    settings: ServiceSettings,
    runtime: ServiceRuntime,
    keys: TokenKeys,
    clock: Clock,
    *,
    title: str,
    version: str,
    description: str,
    idempotency: sa.Table,
    audit: AuditLog | None = None,
    started: StartUp | None = None,
    routes: Callable[[FastAPI], None] | None = None,
    idempotency_middleware: bool = True,
) -> FastAPI:
    """A service's FastAPI app around its `runtime`.

    `started` runs inside the running runtime for the app's life (the service's seeds and
    background tasks); `routes` adds the service's own routers after health and audit;
    `idempotency_middleware=False` leaves Idempotency-Key to the service's routes.
    """
    service = runtime.service

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running(), (started or nullcontext)():
            runtime.add_task(
                asyncio.create_task(
                    tidy_answers(
                        runtime.sessions,
                        idempotency,
                        settings.idempotency_keep(),
                        settings.idempotency_tidy_seconds,
                    ),
                    name=f"{service}-idempotency-tidy",
                )
            )
            yield

    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        docs_url=None,  # offline pages below: install_offline_docs
        redoc_url=None,
    )
    install_offline_docs(app)
    app.state.runtime = runtime
    install_error_handlers(app)
    install_observability(app, runtime.metrics, runtime.redis)
    install_auth(app, keys)
    if idempotency_middleware:
        install_idempotency(app, idempotency, runtime.sessions)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health_router(runtime.readiness))
    if audit is not None:
        app.state.audit = audit  # shared/platform/app_state.py: AuditDep
        app.include_router(audit_router(audit))
    if routes is not None:
        routes(app)
    if isinstance(clock, TrainingClock):
        app.include_router(training_clock_router(service, clock, runtime.redis))
    return app
