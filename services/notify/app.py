"""Notify's bootstrap: the only place that knows the concrete adapters."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import Counter

from services.notify.adapters import sender
from services.notify.adapters.apprise_logging import quiet_apprise_logging
from services.notify.adapters.directory_file import load_channel_directory
from services.notify.adapters.phone_book import IntakePhoneBook
from services.notify.adapters.tables import AUDIT, IDEMPOTENCY, KIT
from services.notify.adapters.target_guard import TargetGuard
from services.notify.adapters.templates import Renderer
from services.notify.config import NotifySettings
from services.notify.domain.quiet_hours import QuietHours
from services.notify.entrypoints import deliveries_http, events, inbox_http, preferences_http
from services.notify.service_layer import planning
from services.notify.service_layer.context import Context
from services.notify.service_layer.recipients import ChannelConfig
from services.notify.service_layer.retention import run_retention
from services.notify.service_layer.sending import DeliveryWorker
from shared.platform.audit.log import AuditLog
from shared.platform.auth.keys import load_keys
from shared.platform.clock import Clock, SystemClock
from shared.platform.runtime import ServiceRuntime
from shared.platform.service_app import service_app, service_clock

MIGRATIONS = Path(__file__).parent / "migrations"
# The resources notify serves, one module each (entrypoints/*_http.py).
ROUTED = (deliveries_http, inbox_http, preferences_http)


def _routes(app: FastAPI) -> None:
    for resource in ROUTED:
        app.include_router(resource.router)


def create_app(settings: NotifySettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    keys = load_keys(settings.environment)
    lease_clock = clock or SystemClock()  # never the training clock (see DeliveryWorker)
    clock = service_clock(settings, clock)
    quiet_apprise_logging()
    guard = TargetGuard(
        allowed_hosts=settings.allowed_hosts(), allow_private=settings.allow_private_targets
    )
    if settings.sms_gateway_url:
        guard.check(settings.sms_gateway_url.replace("{phone}", "0"))  # refuse at start-up
    quiet = QuietHours.parse(settings.quiet_hours_start, settings.quiet_hours_end)
    planned = asyncio.Event()  # the planner rings it after a commit; the worker wakes
    ctx = Context(
        channels=ChannelConfig(
            directory=load_channel_directory(settings.channel_directory_file, guard),
            smtp_url=settings.smtp_url,
            sms_gateway_url=settings.sms_gateway_url,
            rider_sms=bool(settings.sms_gateway_url and settings.intake_client_secret),
        ),
        renderer=Renderer(),
        public_url=settings.public_url.rstrip("/"),
        quiet_hours=quiet,
        clock=clock,
        on_planned=planned.set,
    )
    runtime = ServiceRuntime(
        settings, KIT, events.handlers(ctx), MIGRATIONS, prepare=planning.prepare, clock=clock
    )
    outcomes = Counter(
        "waystation_notifications",
        "Notification delivery outcomes (sent, failed for good, retry later) by channel.",
        ["channel", "outcome"],
        registry=runtime.metrics.registry,
    )
    # One pooled HTTP client for the service's webhooks, made in the loop, closed at shutdown.
    outbound = sender.Sender()
    worker = DeliveryWorker(
        runtime.sessions,
        runtime.uow,
        outbound.send,
        poll_interval=settings.worker_poll_interval,
        concurrency=settings.send_concurrency,
        lease_seconds=settings.delivery_lease_seconds,
        max_attempts=settings.max_attempts,
        backoff_base=settings.backoff_base_seconds,
        guard=guard,
        phones=(
            IntakePhoneBook(settings.intake_url, settings.intake_client_secret)
            if settings.intake_client_secret
            else None
        ),
        clock=clock,
        lease_clock=lease_clock,
        on_outcome=lambda channel, outcome: outcomes.labels(channel, outcome).inc(),
        wakeup=planned,
    )

    @asynccontextmanager
    async def started() -> AsyncIterator[None]:
        runtime.add_task(asyncio.create_task(worker.run(), name="notify-worker"))
        runtime.add_task(
            asyncio.create_task(
                run_retention(
                    runtime.uow,
                    clock,
                    settings.retention_days,
                    settings.retention_interval_seconds,
                ),
                name="notify-retention",
            )
        )
        try:
            yield
        finally:
            await outbound.aclose()

    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)
    app = service_app(
        settings,
        runtime,
        keys,
        clock,
        title="Waystation notify 通知",
        version="0.1.0",
        description="Every party told once, in their language, on their channel.",
        idempotency=IDEMPOTENCY,
        audit=audit,
        started=started,
        routes=_routes,
    )
    # What the routes take through their dependencies (entrypoints/dependencies.py).
    app.state.quiet_hours = quiet
    app.state.worker = worker
    return app
