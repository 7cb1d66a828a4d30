"""`waystation retention run`: purge personal data of long-finished cases, once, now."""

from __future__ import annotations

from services.intake.adapters.tables import KIT as INTAKE_KIT
from services.intake.config import IntakeSettings
from services.intake.service_layer.retention import Purged, purge_all
from services.notify.adapters.tables import KIT as NOTIFY_KIT
from services.notify.config import NotifySettings
from services.notify.service_layer.retention import purge_contacts
from shared.clock import Clock, SystemClock
from shared.db import make_engine, make_sessions
from shared.messaging.uow import UnitOfWork


async def run_retention_once(
    intake: IntakeSettings, notify: NotifySettings, clock: Clock | None = None
) -> tuple[Purged, int]:
    """(intake's purged cases and parties, notify's cleared contacts)."""
    clock = clock or SystemClock()
    intake_engine = make_engine(intake.database_url)
    notify_engine = make_engine(notify.database_url)
    intake_sessions, notify_sessions = make_sessions(intake_engine), make_sessions(notify_engine)
    try:
        purged = await purge_all(
            lambda: UnitOfWork(intake_sessions, INTAKE_KIT, producer="intake"),
            clock,
            intake.retention_days,
        )
        async with UnitOfWork(notify_sessions, NOTIFY_KIT, producer="notify") as uow:
            cleared = await purge_contacts(uow, clock.now(), notify.retention_days)
        return purged, cleared
    finally:
        await intake_engine.dispose()
        await notify_engine.dispose()
