"""An in-memory dispute repository (for tests.unit.fake_uow.FakeUnitOfWork): mediation's
service layer without a database.

It hands out copies and keeps what is saved, so a use case that forgets to save its dispute
loses the change here as it would against PostgreSQL. Timers follow the kit's rules: one per
(case, kind, due time); a cancelled one is revived by arming the same key, a fired one never.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from services.mediation.domain.dispute import Dispute, HistoryEntry, ReadingGrant, StateHistory
from services.mediation.domain.mediation_session import MediationSession
from services.mediation.domain.roster import Roster

TimerKey = tuple[uuid.UUID, str, datetime]


class FakeDisputeRepository:
    def __init__(self) -> None:
        self.disputes: dict[uuid.UUID, Dispute] = {}
        self.history: dict[uuid.UUID, list[HistoryEntry]] = {}
        self.timers: dict[TimerKey, dict[str, Any]] = {}
        self.cancelled: set[TimerKey] = set()
        self.fired: set[TimerKey] = set()
        self.assigned: dict[str, float] = {}
        self.sessions: dict[str, MediationSession] = {}
        self.grants: dict[tuple[uuid.UUID, str], ReadingGrant] = {}
        self.companies: dict[uuid.UUID, list[dict[str, str]]] = {}

    def add(self, dispute: Dispute) -> None:
        self.disputes[dispute.case_id] = _stored(dispute)
        self.history[dispute.case_id] = list(dispute.history)
        self._carry_out(dispute)

    async def get(self, case_id: uuid.UUID) -> Dispute | None:
        found = self.disputes.get(case_id)
        return None if found is None else copy.deepcopy(found)

    async def save(self, dispute: Dispute) -> None:
        self.disputes[dispute.case_id] = _stored(dispute)
        self.history.setdefault(dispute.case_id, []).extend(dispute.history)
        self._carry_out(dispute)

    def _carry_out(self, dispute: Dispute) -> None:
        for order in dispute.timers:
            for kind in order.kinds:
                if order.verb == "arm":
                    key = (dispute.case_id, kind, order.at)
                    if key not in self.fired:
                        self.timers.setdefault(key, order.data or {})
                        self.cancelled.discard(key)
                else:
                    for key in self.timers:
                        if key[:2] == (dispute.case_id, kind) and key not in self.fired:
                            self.cancelled.add(key)
        dispute.history.clear()
        dispute.touched.clear()
        dispute.timers.clear()

    async def state_history(self, case_id: uuid.UUID) -> StateHistory:
        return [(e.at, e.to_state) for e in self.history.get(case_id, [])]

    async def roster(self, configured_by_file: Roster) -> Roster:
        return configured_by_file

    async def open_caseload(self) -> dict[str, int]:
        load: dict[str, int] = {}
        for d in self.disputes.values():
            if d.mediator_id and d.state in ("assigned", "in_mediation", "waiting_party"):
                load[d.mediator_id] = load.get(d.mediator_id, 0) + 1
        return load

    async def last_assigned(self) -> dict[str, float]:
        return dict(self.assigned)

    async def record_assignment(self, mediator_id: str, at: datetime) -> None:
        self.assigned[mediator_id] = max(self.assigned.get(mediator_id, 0.0), at.timestamp())

    async def session(self, case_id: uuid.UUID, session_id: str) -> MediationSession | None:
        found = self.sessions.get(session_id)
        return copy.deepcopy(found) if found is not None and found.case_id == case_id else None

    async def save_session(self, s: MediationSession) -> None:
        self.sessions[s.session_id] = copy.deepcopy(s)

    async def members(self, parent_id: uuid.UUID) -> list[Dispute]:
        found = [d for d in self.disputes.values() if d.parent_case_id == parent_id]
        return [copy.deepcopy(d) for d in found]

    async def count_members(self, parent_id: uuid.UUID) -> int:
        return len(await self.members(parent_id))

    async def reading_grant(self, case_id: uuid.UUID, mediator_id: str) -> ReadingGrant | None:
        return self.grants.get((case_id, mediator_id))

    async def add_grant(self, grant: ReadingGrant) -> None:
        self.grants[(grant.case_id, grant.mediator_id)] = grant

    async def remove_grant(self, grant: ReadingGrant) -> None:
        self.grants.pop((grant.case_id, grant.mediator_id), None)

    async def index_companies(self, dispute: Dispute, companies: list[dict[str, str]]) -> None:
        self.companies.setdefault(dispute.case_id, []).extend(companies)

    def pending_timers(self, case_id: uuid.UUID) -> dict[tuple[str, datetime], dict[str, Any]]:
        """The case's timers neither cancelled nor fired, by (kind, due time)."""
        return {
            (kind, at): data
            for (c, kind, at), data in self.timers.items()
            if c == case_id and (c, kind, at) not in self.cancelled | self.fired
        }


def _stored(dispute: Dispute) -> Dispute:
    kept = copy.deepcopy(dispute)
    kept.history, kept.events, kept.timers, kept.touched = [], [], [], set()
    return kept
