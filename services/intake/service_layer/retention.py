"""The retention job: personal data of cases finished long enough ago is replaced by stubs.

The case, its timeline and each party's row stay (an audit trail of what happened and that
the data was cleared); names, phones, emails and ID numbers go. Nothing is emitted: the
other services learn of closure from the events they already read and purge their own.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlmodel import col, select

from services.intake.adapters.tables import AUDIT, Case, Party
from services.intake.domain.retention import (
    FINISHED_STATES,
    PERSONS,
    purge_cutoff,
    purge_stub,
)
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.log import SYSTEM, AuditLog
from shared.platform.clock import Clock
from shared.platform.masking import mask_personal

log = structlog.get_logger(__name__)
AUDIT_LOG = AuditLog("intake", AUDIT)


@dataclass(frozen=True)
class Purged:
    cases: int
    parties: int


async def purge_personal_data(
    uow: UnitOfWork, now: datetime, retention_days: int, batch: int = 500
) -> Purged:
    """Clear one batch of parties of cases finished more than `retention_days` ago."""
    rows = (
        await uow.session.execute(
            select(Party, Case)
            .join(Case, col(Case.id) == col(Party.case_id))
            .where(
                col(Case.status).in_(FINISHED_STATES),
                col(Case.status_at) < purge_cutoff(now, retention_days),
                col(Party.purged_at).is_(None),
            )
            .limit(batch)
        )
    ).all()
    cases: dict[object, Case] = {}
    cleared: dict[uuid.UUID, set[str]] = {}
    for party, case in rows:
        cleared.setdefault(case.id, {"description"}).update(_cleared_fields(party))
        if party.role in PERSONS:
            party.name = purge_stub(now)
        party.phone = party.email = None
        party.id_number_enc = party.id_number_hash = None
        party.phone_hash = party.email_hash = None
        party.purged_at = now
        uow.session.add(party)
        cases[case.id] = case
    for case in cases.values():
        # Free text may hold a number typed by the reporter.
        case.description = mask_personal(case.description)
        uow.session.add(case)
    # The audit log keeps its entries (the database refuses their deletion) and gains these.
    by_case = {case_id: sorted(names) for case_id, names in cleared.items()}
    await AUDIT_LOG.add_each(uow.session, "purge", by_case, actor=SYSTEM, at=now)
    await uow.commit()
    return Purged(cases=len(cases), parties=len(rows))


def _cleared_fields(party: Party) -> list[str]:
    """Names of the party's fields this purge clears (the ones that held something)."""
    held = {
        "parties.name": party.role in PERSONS,
        "parties.phone": party.phone is not None,
        "parties.email": party.email is not None,
        "parties.id_number": party.id_number_enc is not None,
    }
    return [name for name, present in held.items() if present]


async def purge_all(new_uow: Callable[[], UnitOfWork], clock: Clock, retention_days: int) -> Purged:
    """Run batches until nothing is due; returns the totals."""
    cases = parties = 0
    while True:
        async with new_uow() as uow:
            done = await purge_personal_data(uow, clock.now(), retention_days)
        cases, parties = cases + done.cases, parties + done.parties
        if done.parties == 0:
            return Purged(cases=cases, parties=parties)


async def run_retention(
    new_uow: Callable[[], UnitOfWork], clock: Clock, retention_days: int, interval: float
) -> None:
    """The periodic task in intake's lifespan: purge, then sleep `interval` seconds."""
    while True:
        try:
            done = await purge_all(new_uow, clock, retention_days)
            if done.parties:
                log.info("personal_data_purged", cases=done.cases, parties=done.parties)
        except Exception as exc:  # the database is away: try again next round
            log.warning("retention_failed", error=str(exc))
        await asyncio.sleep(interval)
