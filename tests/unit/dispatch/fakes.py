"""An in-memory hazard repository (for tests.unit.fake_uow.FakeUnitOfWork): dispatch's
service layer without a database.

The repository hands out copies and keeps what is saved, so a use case that forgets to save
its hazard loses the change here as it would against PostgreSQL.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.dispatch.domain.directory import Directory
from services.dispatch.domain.hazard import Hazard, HistoryEntry


class FakeHazardRepository:
    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self.hazards: dict[uuid.UUID, Hazard] = {}
        self.history: dict[uuid.UUID, list[HistoryEntry]] = {}
        self.followers: dict[uuid.UUID, list[str]] = {}
        self.escalations: list[tuple[uuid.UUID, str, str, int]] = []
        # (case, kind, due) -> data; cancelled ones move to `cancelled`.
        self.timers: dict[tuple[uuid.UUID, str, datetime], dict[str, Any]] = {}
        self.cancelled: set[tuple[uuid.UUID, str, datetime]] = set()
        self.points: list[tuple[str, uuid.UUID, str, int]] = []

    def add(self, hazard: Hazard) -> None:
        self.hazards[hazard.case_id] = _stored(hazard)
        self.history.setdefault(hazard.case_id, [])

    async def get(self, case_id: uuid.UUID) -> Hazard | None:
        found = self.hazards.get(case_id)
        return None if found is None else copy.deepcopy(found)

    async def get_unless_busy(self, case_id: uuid.UUID) -> Hazard | None:
        return await self.get(case_id)

    async def save(self, hazard: Hazard) -> None:
        self.hazards[hazard.case_id] = _stored(hazard)
        self.history.setdefault(hazard.case_id, []).extend(hazard.history)
        hazard.history.clear()

    async def declined_by(self, case_id: uuid.UUID) -> list[str]:
        return [e.actor.id for e in self.history.get(case_id, []) if e.action == "decline"]

    async def directory(self) -> Directory:
        return self._directory

    async def followers_of(self, case_id: uuid.UUID) -> list[str]:
        return list(self.followers.get(case_id, []))

    async def follow(
        self, case_id: uuid.UUID, party_id: str, duplicate_case_id: uuid.UUID | None
    ) -> None:
        known = self.followers.setdefault(case_id, [])
        if party_id not in known:
            known.append(party_id)

    async def unfollow(self, case_id: uuid.UUID, party_id: str) -> None:
        known = self.followers.get(case_id, [])
        if party_id in known:
            known.remove(party_id)

    async def escalated_to(self, case_id: uuid.UUID, supervisor_id: str) -> bool:
        return any(c == case_id and to == supervisor_id for c, to, _t, _l in self.escalations)

    def add_escalation(
        self, hazard: Hazard, to: str, target: str, level: int, due_at: datetime, at: datetime
    ) -> None:
        self.escalations.append((hazard.case_id, to, target, level))

    async def schedule(
        self, case_id: uuid.UUID, planned: Sequence[tuple[str, datetime, dict[str, Any] | None]]
    ) -> None:
        for kind, at, data in planned:
            self.timers.setdefault((case_id, kind, at), data or {})

    async def cancel(self, case_id: uuid.UUID, kinds: tuple[str, ...], at: datetime) -> None:
        for key in self.timers:
            if key[0] == case_id and key[1] in kinds:
                self.cancelled.add(key)

    async def credited(self, case_id: uuid.UUID, reason: str) -> bool:
        return any(c == case_id and r == reason for _p, c, r, _n in self.points)

    async def balance_of(self, reporter_id: str) -> int:
        return sum(n for p, _c, _r, n in self.points if p == reporter_id)

    def add_points(self, hazard: Hazard, reason: str, points: int, at: datetime) -> None:
        self.points.append((hazard.reporter_id, hazard.case_id, reason, points))

    def pending_timers(self, case_id: uuid.UUID) -> dict[tuple[str, datetime], dict[str, Any]]:
        """The case's timers neither cancelled nor fired, by (kind, due time)."""
        return {
            (kind, at): data
            for (c, kind, at), data in self.timers.items()
            if c == case_id and (c, kind, at) not in self.cancelled
        }


def _stored(hazard: Hazard) -> Hazard:
    kept = copy.deepcopy(hazard)
    kept.history, kept.events = [], []
    return kept
