"""The transaction's cases, and how a use case settles one it changed.

The shared UnitOfWork serves four services and knows none of their aggregates, so the SQL
repository is built here over its session, unless the unit of work brings its own (a fake
one, in tests).
"""

from __future__ import annotations

from datetime import datetime

from services.intake.adapters.case_store import SqlCaseRepository
from services.intake.domain.case import Case
from services.intake.domain.repository import CaseRepository
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork


def cases_in(uow: UnitOfWork) -> CaseRepository:
    own: CaseRepository | None = getattr(uow, "cases", None)
    return own if own is not None else SqlCaseRepository(uow)


async def settle(
    uow: UnitOfWork, cases: CaseRepository, case: Case, at: datetime
) -> list[Envelope]:
    """Queue what the case raised (stamped `at`: the service's own time for the step), record
    it on the case's own timeline and save the case; the events queued."""
    queued = uow.emit_raised(case.events, case_id=case.id, at=at)
    for envelope in queued:
        case.record(envelope)
    case.events.clear()
    await cases.save(case)
    return queued
