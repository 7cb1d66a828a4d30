"""The dispute repository port: what the lifecycle use cases read and write besides events.

A dispute with its kept clocks (saved with it, their timers armed or cancelled in the same
transaction), its saved state history (targets pause on it), its sessions, and the assignment
facts a mediator is chosen by. The SQL adapter is `adapters/dispute_store.py`; tests bring an
in-memory one on a fake unit of work.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from services.mediation.adapters.dispute_store import SqlDisputeRepository
from services.mediation.domain.dispute import Dispute, StateHistory
from services.mediation.domain.mediation_session import MediationSession
from services.mediation.domain.roster import Roster
from shared.messaging.uow import UnitOfWork


class DisputeRepository(Protocol):
    def add(self, dispute: Dispute) -> None: ...
    async def get(self, case_id: uuid.UUID) -> Dispute | None: ...
    async def save(self, dispute: Dispute) -> None: ...
    async def state_history(self, case_id: uuid.UUID) -> StateHistory: ...
    async def roster(self, configured_by_file: Roster) -> Roster: ...
    async def open_caseload(self) -> dict[str, int]: ...
    async def last_assigned(self) -> dict[str, float]: ...
    async def record_assignment(self, mediator_id: str, at: datetime) -> None: ...
    async def session(self, case_id: uuid.UUID, session_id: str) -> MediationSession | None: ...
    async def save_session(self, s: MediationSession) -> None: ...


def disputes_in(uow: UnitOfWork) -> DisputeRepository:
    """The transaction's disputes: the repository a unit of work brings (a fake one), else SQL.

    The shared UnitOfWork serves four services and knows none of their aggregates, so the
    SQL repository is built here over its session rather than held by it."""
    own: DisputeRepository | None = getattr(uow, "disputes", None)
    return own if own is not None else SqlDisputeRepository(uow)
