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
from services.dispatch.entrypoints import (
    compounds_http,
    directory_http,
    events,
    hazards_http,
    points_http,
    queues_http,
    redemptions_http,
    rewards_http,
    stations_http,
    stations_public_http,
)
from services.dispatch.service_layer.breaches import on_timer
from services.dispatch.service_layer.compounds import load_compound_rows, seed_compounds
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.directory_admin import seed
from services.dispatch.service_layer.nearest import StationFinder
from services.dispatch.service_layer.stations import seed_stations
from shared.messaging.timers import TimerScheduler
from shared.platform.audit.log import AuditLog
from shared.platform.auth.keys import load_keys
from shared.platform.clock import Clock
from shared.platform.runtime import ServiceRuntime
from shared.platform.service_app import service_app, service_clock

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
    clock = service_clock(settings, clock)
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
    async def started() -> AsyncIterator[None]:
        async with runtime.uow() as uow:
            await seed(uow, load_directory(settings.directory_file), ctx.clock)
        async with runtime.uow() as uow:
            await seed_stations(uow, load_station_rows(settings.stations_file), ctx)
        async with runtime.uow() as uow:
            await seed_compounds(uow, load_compound_rows(settings.compounds_file), ctx)
        if run_timers:
            runtime.add_task(asyncio.create_task(scheduler.run(), name="dispatch-timers"))
        yield

    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)

    app = service_app(
        settings,
        runtime,
        keys,
        clock,
        title="Waystation dispatch 派单",
        version="0.2.0",
        description="Hazards routed to the responsible department and followed to a confirmed fix.",
        idempotency=IDEMPOTENCY,
        audit=audit,
        started=started,
        routes=_routes,
    )
    # What the routes take as dependencies (entrypoints/dependencies.py).
    app.state.scheduler = scheduler
    app.state.context = ctx
    app.state.stations = finder
    return app


def _routes(app: FastAPI) -> None:
    for module in (
        queues_http,
        hazards_http,
        directory_http,
        points_http,
        stations_http,
        rewards_http,
        redemptions_http,
        compounds_http,
        stations_public_http,
    ):
        app.include_router(module.router)
