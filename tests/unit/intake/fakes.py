"""An in-memory case repository (for tests.unit.fake_uow.FakeUnitOfWork): intake's service
layer without a database.

It hands out copies and keeps what is saved, so a use case that forgets to save its case (or
its parties) loses the change here as it would against PostgreSQL.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from datetime import datetime

from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, RiderPoints
from services.intake.domain.case_timeline import TimelineNote
from services.intake.domain.department_update import PostedUpdate
from services.intake.domain.duplicates import OPEN_STATES, Candidate
from services.intake.domain.repository import Box
from services.intake.domain.riders import RUNNER_ROLES


class FakeCaseRepository:
    def __init__(self) -> None:
        self.cases: dict[uuid.UUID, Case] = {}
        self.timelines: dict[uuid.UUID, list[TimelineNote]] = {}
        self.parties: dict[uuid.UUID, Party] = {}
        self.points: dict[str, RiderPoints] = {}
        self.updates: dict[tuple[str, str], PostedUpdate] = {}
        self.locked: list[uuid.UUID] = []

    def add(self, case: Case) -> None:
        self._keep(case)

    async def get(self, case_id: uuid.UUID) -> Case | None:
        found = self.cases.get(case_id)
        return None if found is None else copy.deepcopy(found)

    async def by_code(self, tracking_code: str) -> Case | None:
        found = next((c for c in self.cases.values() if c.tracking_code == tracking_code), None)
        return None if found is None else copy.deepcopy(found)

    async def save(self, case: Case) -> None:
        if case.id not in self.cases:
            raise LookupError(f"case {case.id} was never added")
        self._keep(case)

    def _keep(self, case: Case) -> None:
        self.timelines.setdefault(case.id, []).extend(case.timeline)
        case.timeline.clear()
        kept = copy.deepcopy(case)
        kept.events = []
        self.cases[case.id] = kept

    async def lock(self, case_ids: Iterable[uuid.UUID]) -> None:
        self.locked += list(case_ids)

    async def parties_of(self, case_id: uuid.UUID) -> list[Party]:
        return [copy.deepcopy(p) for p in self.parties.values() if p.case_id == case_id]

    def save_parties(self, parties: Iterable[Party]) -> None:
        for party in parties:
            self.parties[party.id] = copy.deepcopy(party)

    async def drop_follower(self, case_id: uuid.UUID, party_id: str) -> None:
        self.parties = {
            k: p
            for k, p in self.parties.items()
            if (p.case_id, p.role, p.party_id) != (case_id, "follower", party_id)
        }

    async def points_of(self, party_id: str) -> RiderPoints | None:
        return copy.deepcopy(self.points.get(party_id))

    def save_points(self, points: RiderPoints) -> None:
        self.points[points.party_id] = copy.deepcopy(points)

    async def posted_update(self, department_id: str, update_id: str) -> PostedUpdate | None:
        return self.updates.get((department_id, update_id))

    def add_posted_update(self, update: PostedUpdate) -> None:
        self.updates[(update.department_id, update.update_id)] = update

    async def runner_party_id(self, phone_hash: str | None, email_hash: str | None) -> str | None:
        for field, value in (("phone_hash", phone_hash), ("email_hash", email_hash)):
            if value is None:
                continue
            runners = [
                p
                for p in self.parties.values()
                if getattr(p, field) == value and p.role in RUNNER_ROLES and p.purged_at is None
            ]
            runners.sort(key=lambda p: self.cases[p.case_id].created_at)
            if runners:
                return runners[0].party_id
        return None

    async def member_id_hashes(self, parent_id: uuid.UUID) -> set[str]:
        members = {c.id for c in self.cases.values() if c.parent_case_id == parent_id}
        return {
            p.id_number_hash
            for p in self.parties.values()
            if p.case_id in members and p.role == "complainant" and p.id_number_hash
        }

    async def open_hazards_near(self, category: str, since: datetime, box: Box) -> list[Candidate]:
        min_lat, max_lat, min_lng, max_lng = box
        return [
            Candidate(c.id, c.category, c.status, c.latitude, c.longitude, c.created_at)
            for c in self.cases.values()
            if c.kind == "hazard"
            and c.category == category
            and c.duplicate_of is None
            and c.status in OPEN_STATES
            and c.created_at >= since
            and c.latitude is not None
            and c.longitude is not None
            and min_lat <= c.latitude <= max_lat
            and min_lng <= c.longitude <= max_lng
        ]

    def timeline_of(self, case_id: uuid.UUID) -> list[str]:
        """The event types on a case's saved timeline, in order."""
        return [note.event_type for note in self.timelines.get(case_id, [])]
