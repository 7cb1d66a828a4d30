"""Notify's retention: contacts and delivered messages of long-closed cases are cleared.

Notify learns closure from the events it reads (hazard.closed, dispute.closed, ...). After
the retention period the contact keeps its role and party id (for the audit trail of who was
told what, when); its name and email go, and so do the addresses and bodies of finished
deliveries.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
import structlog
from sqlmodel import col

from services.notify.adapters import case_store
from services.notify.adapters.tables import AUDIT, Contact, Delivery, KnownCase
from services.notify.service_layer import case_memory
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.log import SYSTEM, AuditLog
from shared.platform.clock import Clock

log = structlog.get_logger(__name__)
AUDIT_LOG = AuditLog("notify", AUDIT)
CLOSING_EVENTS = frozenset(
    {"hazard.closed", "dispute.closed", "dispute.rejected", "dispute.withdrawn"}
)


async def note_closure(envelope: Envelope, uow: UnitOfWork) -> None:
    """Remember when a case ended (a later reopening event clears it)."""
    case = await case_memory.known_case(uow, envelope.case_id)
    if case is None:
        return
    closed_at = envelope.occurred_at if envelope.event_type in CLOSING_EVENTS else None
    case_store.change_case(uow.session, case, closed_at=closed_at)


async def purge_contacts(uow: UnitOfWork, now: datetime, retention_days: int) -> int:
    """Clear contacts and finished deliveries of cases closed before the cutoff."""
    cutoff = now - timedelta(days=retention_days)
    closed = sa.select(col(KnownCase.case_id)).where(
        col(KnownCase.closed_at).is_not(None), col(KnownCase.closed_at) < cutoff
    )
    stub = f"已清除 {now.date().isoformat()}"
    due_contacts = sa.and_(
        col(Contact.case_id).in_(closed),
        sa.or_(
            col(Contact.email).is_not(None),
            col(Contact.phone_masked).is_not(None),
            ~col(Contact.display_name).startswith("已清除"),
        ),
    )
    due_deliveries = sa.and_(
        col(Delivery.case_id).in_(closed),
        col(Delivery.status) != "queued",
        col(Delivery.target) != "",
    )
    purged: dict[uuid.UUID, list[str]] = {}
    for (case_id,) in await uow.session.execute(
        sa.select(col(Contact.case_id)).where(due_contacts).distinct()
    ):
        purged[case_id] = ["contacts.display_name", "contacts.email", "contacts.phone_masked"]
    for (case_id,) in await uow.session.execute(
        sa.select(col(Delivery.case_id)).where(due_deliveries).distinct()
    ):
        purged[case_id] = [*purged.get(case_id, []), "deliveries.body", "deliveries.target"]
    cleared = await uow.session.execute(
        sa.update(Contact)
        .where(due_contacts)
        .values(display_name=stub, email=None, phone_masked=None)
    )
    await uow.session.execute(sa.update(Delivery).where(due_deliveries).values(target="", body=""))
    await AUDIT_LOG.add_each(uow.session, "purge", purged, actor=SYSTEM, at=now)
    await uow.commit()
    return int(getattr(cleared, "rowcount", 0) or 0)


async def run_retention(
    new_uow: Callable[[], UnitOfWork], clock: Clock, retention_days: int, interval: float
) -> None:
    """The periodic task in notify's lifespan: purge, then sleep `interval` seconds."""
    while True:
        try:
            async with new_uow() as uow:
                cleared = await purge_contacts(uow, clock.now(), retention_days)
            if cleared:
                log.info("contacts_purged", contacts=cleared)
        except Exception as exc:  # the database is away: try again next round
            log.warning("retention_failed", error=str(exc))
        await asyncio.sleep(interval)
