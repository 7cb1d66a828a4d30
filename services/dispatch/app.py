"""Dispatch's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path

from fastapi import FastAPI

from services.dispatch.adapters.directory_file import load_directory
from services.dispatch.adapters.district_file import load_district
from services.dispatch.adapters.station_file import load_station_rows
from services.dispatch.adapters.tables import AUDIT, IDEMPOTENCY, KIT, TIMER
from services.dispatch.config import DispatchSettings
from services.dispatch.domain.reach import Reach
from services.dispatch.entrypoints import events, hazards_http, stations_public
from services.dispatch.service_layer.breaches import on_timer
from services.dispatch.service_layer.compounds import load_compound_rows, seed_compounds
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.directory_admin import seed
from services.dispatch.service_layer.nearest import StationFinder
from services.dispatch.service_layer.stations import seed_stations
from shared.api_docs import install_offline_docs
from shared.audit.http import audit_router
from shared.audit.log import AuditLog
from shared.auth.dependency import install_auth
from shared.auth.keys import load_keys
from shared.clock import Clock, SystemClock
from shared.http import BodyLimit, health_router, install_error_handlers
from shared.idempotency import install_idempotency, tidy_answers
from shared.messaging.timers import TimerScheduler
from shared.observability import install_observability
from shared.runtime import ServiceRuntime
from shared.training_clock import TrainingClock, with_training
from shared.training_clock_http import training_clock_router

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: DispatchSettings | None = None,
    clock: Clock | None = None,
    *,
    run_timers: bool = True,
) -> FastAPI:
    """`run_timers=False` leaves the timer scheduler to the caller (tests drive it by hand)."""
    settings = settings or DispatchSettings()
    keys = load_keys(settings.environment)
    clock = with_training(settings.training_clock, clock or SystemClock())
    ctx = Context(
        clock=clock,
        confirmation_window=timedelta(hours=settings.confirmation_window_hours),
        district=load_district(settings.district_file),
        reach=Reach(
            walk_m_per_min=settings.walk_m_per_min, ebike_m_per_min=settings.ebike_m_per_min
        ),
    )
    finder = StationFinder(ctx)
    runtime = ServiceRuntime(settings, KIT, events.handlers(ctx, finder), MIGRATIONS, clock=clock)
    finder.bind(runtime.sessions)
    scheduler = TimerScheduler(
        TIMER,
        runtime.uow,
        partial(on_timer, ctx=ctx),
        ctx.clock,
        poll_interval=settings.timer_poll_interval,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            async with runtime.uow() as uow:
                await seed(uow, load_directory(settings.directory_file), ctx.clock)
            async with runtime.uow() as uow:
                await seed_stations(uow, load_station_rows(settings.stations_file), ctx)
            async with runtime.uow() as uow:
                await seed_compounds(uow, load_compound_rows(settings.compounds_file), ctx)
            if run_timers:
                runtime.add_task(asyncio.create_task(scheduler.run(), name="dispatch-timers"))
            runtime.add_task(
                asyncio.create_task(
                    tidy_answers(
                        runtime.sessions,
                        IDEMPOTENCY,
                        settings.idempotency_keep(),
                        settings.idempotency_tidy_seconds,
                    ),
                    name="dispatch-idempotency-tidy",
                )
            )
            yield

    app = FastAPI(
        title="Waystation dispatch 派单",
        version="0.2.0",
        description="Hazards routed to the responsible department and followed to a confirmed fix.",
        lifespan=lifespan,
        docs_url=None,  # offline pages below: install_offline_docs
        redoc_url=None,
    )
    install_offline_docs(app)
    app.state.runtime = runtime
    app.state.scheduler = scheduler
    app.state.context = ctx
    app.state.stations = finder
    install_error_handlers(app)
    install_observability(app, runtime.metrics, runtime.redis)
    install_auth(app, keys)
    install_idempotency(app, IDEMPOTENCY, runtime.sessions)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health_router(runtime.readiness))
    app.include_router(audit_router(AuditLog(runtime.service, AUDIT, runtime.sessions)))
    app.include_router(hazards_http.build_router(runtime, ctx, finder))
    app.include_router(stations_public.build_router(ctx, finder, runtime.sessions))
    if isinstance(clock, TrainingClock):
        app.include_router(training_clock_router(runtime.service, clock, runtime.redis))
    return app
