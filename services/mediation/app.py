"""Mediation's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import structlog
from fastapi import FastAPI

from services.mediation.adapters import rollup_tracking
from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.adapters.roster_file import load_roster
from services.mediation.adapters.station_lookup import station_place
from services.mediation.adapters.tables import AUDIT, IDEMPOTENCY, KIT, TIMER
from services.mediation.config import MediationSettings
from services.mediation.domain.targets import Target
from services.mediation.entrypoints import (
    agreements_http,
    alerts_http,
    calendar_http,
    committee_http,
    consultations_http,
    disputes_http,
    events,
    grants_http,
    groups_http,
    roster_http,
    sessions_http,
)
from services.mediation.service_layer.administration import (
    calendar_stamp,
    publish_file_roster,
    stored_calendar_years,
)
from services.mediation.service_layer.context import Context, Policy
from shared.messaging.timers import TimerScheduler
from shared.platform.audit.log import AuditLog
from shared.platform.auth.keys import load_keys
from shared.platform.clock import utc_now
from shared.platform.runtime import ServiceRuntime
from shared.platform.service_app import service_app, service_clock

MIGRATIONS = Path(__file__).parent / "migrations"
# The resources mediation serves, one module each (entrypoints/*_http.py).
ROUTED = (
    disputes_http,
    agreements_http,
    sessions_http,
    groups_http,
    committee_http,
    alerts_http,
    roster_http,
    calendar_http,
    grants_http,
    consultations_http,
)
log = structlog.get_logger(__name__)


class _CallableClock:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now


def build_context(settings: MediationSettings, now: Callable[[], datetime]) -> Context:
    return Context(
        roster_file=load_roster(settings.roster_file),
        calendar=load_calendar(settings.calendar_file),
        policy=Policy(
            auto_accept=settings.auto_accept,
            acceptance_target=Target(
                name="acceptance_target", working_days=settings.acceptance_target_working_days
            ),
            mediation_target=Target(
                name="mediation_target", working_days=settings.mediation_target_working_days
            ),
            pattern_threshold=settings.pattern_threshold,
            pattern_window_days=settings.pattern_window_days,
            due_soon_days=settings.due_soon_days,
        ),
        now=now,
        agreement_font=settings.agreement_font,
        station_place=station_place(settings.dispatch_url),
    )


def create_app(
    settings: MediationSettings | None = None, now: Callable[[], datetime] = utc_now
) -> FastAPI:
    settings = settings or MediationSettings()
    keys = load_keys(settings.environment)
    clock = service_clock(settings, _CallableClock(now))
    ctx = build_context(settings, clock.now)
    rollup_tracking.install()  # every change to a dispute moves the committee's rollups
    runtime = ServiceRuntime(settings, KIT, events.handlers(ctx), MIGRATIONS, clock=clock)
    scheduler = TimerScheduler(
        TIMER,
        runtime.uow,
        events.timer_handler(ctx),
        clock,
        poll_interval=settings.timer_poll_interval,
    )

    async def read_calendar() -> tuple[int, str]:
        async with runtime.uow() as uow:
            stamp = await calendar_stamp(uow)
            ctx.calendar = ctx.calendar.with_years(await stored_calendar_years(uow))
        return stamp

    async def watch_calendar(seen: tuple[int, str]) -> None:
        """A year loaded through another replica reaches this one within seconds (#23.2); the
        loading replica already moved the open clocks, so this only re-reads."""
        while True:
            await asyncio.sleep(settings.calendar_refresh_seconds)
            try:
                async with runtime.uow() as uow:
                    changed = await calendar_stamp(uow) != seen
                if changed:
                    seen = await read_calendar()
                    log.info("calendar_years_reloaded", years=seen[0])
            except Exception as exc:  # the database is away: try again next round
                log.warning("calendar_refresh_failed", error=str(exc))

    @asynccontextmanager
    async def started() -> AsyncIterator[None]:
        stamp = await read_calendar()
        runtime.add_task(asyncio.create_task(watch_calendar(stamp), name="calendar-watch"))
        async with runtime.uow() as uow:
            await publish_file_roster(uow, ctx)
        runtime.add_task(asyncio.create_task(scheduler.run(), name="mediation-timers"))
        yield

    def routes(app: FastAPI) -> None:
        for resource in ROUTED:
            app.include_router(resource.router)

    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)
    app = service_app(
        settings,
        runtime,
        keys,
        clock,
        title="Waystation mediation 调解",
        version="0.2.0",
        description=(
            "Labour-dispute mediation: acceptance, duty roster, sessions, agreements, legal "
            "clocks, performance; the committee's console and statistics."
        ),
        idempotency=IDEMPOTENCY,
        audit=audit,
        started=started,
        routes=routes,
    )
    # What the routes take through their dependencies (entrypoints/dependencies.py).
    app.state.context = ctx
    app.state.timers = scheduler
    return app
