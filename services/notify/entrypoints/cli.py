"""Notify's operator commands, mounted by the `waystation` command line: the retention run's
part that clears contacts of long-closed cases."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.platform.clock import Clock


async def purge_contacts_once(clock: Clock | None = None) -> int:
    """Clear the contacts and finished deliveries of cases closed longer than the retention
    period ago, now; the number of contacts cleared."""
    from services.notify.adapters.tables import KIT
    from services.notify.config import NotifySettings
    from services.notify.service_layer.retention import purge_contacts
    from shared.messaging.uow import UnitOfWork
    from shared.platform.clock import SystemClock
    from shared.platform.db import make_engine, make_sessions

    settings = NotifySettings()
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    try:
        async with UnitOfWork(make_sessions(engine), KIT, producer="notify") as uow:
            return await purge_contacts(uow, clock.now(), settings.retention_days)
    finally:
        await engine.dispose()


def retention_run() -> int:
    """Notify's retention run, now: the number of contacts cleared."""
    return asyncio.run(purge_contacts_once())
