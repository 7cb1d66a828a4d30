"""`waystation retention run`, intake's part: purge personal data of long-finished cases, once,
now."""

from __future__ import annotations

from services.intake.adapters.tables import KIT
from services.intake.config import IntakeSettings
from services.intake.service_layer.retention import Purged, purge_all
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock, SystemClock
from shared.platform.db import make_engine, make_sessions


async def purge_once(settings: IntakeSettings, clock: Clock | None = None) -> Purged:
    """The cases and parties whose personal data this run cleared."""
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    try:
        return await purge_all(
            lambda: UnitOfWork(sessions, KIT, producer="intake"), clock, settings.retention_days
        )
    finally:
        await engine.dispose()
