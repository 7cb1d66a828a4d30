"""The case repository port: what intake's use cases read and write besides events.

A case (row-locked for the transaction when loaded), the parties some steps read or change,
a rider's announced points, and the updates departments posted. The SQL adapter is
`adapters/case_store.py`; tests bring an in-memory one on a fake unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, RiderPoints
from services.intake.domain.department_update import PostedUpdate
from services.intake.domain.duplicates import Candidate

# (min_lat, max_lat, min_lng, max_lng)
Box = tuple[float, float, float, float]


class CaseRepository(Protocol):
    def add(self, case: Case) -> None: ...
    async def get(self, case_id: uuid.UUID) -> Case | None: ...
    async def by_code(self, tracking_code: str) -> Case | None: ...
    async def save(self, case: Case) -> None: ...
    async def lock(self, case_ids: Iterable[uuid.UUID]) -> None: ...
    async def parties_of(self, case_id: uuid.UUID) -> list[Party]: ...
    def save_parties(self, parties: Iterable[Party]) -> None: ...
    async def drop_follower(self, case_id: uuid.UUID, party_id: str) -> None: ...
    async def points_of(self, party_id: str) -> RiderPoints | None: ...
    def save_points(self, points: RiderPoints) -> None: ...
    async def posted_update(self, department_id: str, update_id: str) -> PostedUpdate | None: ...
    def add_posted_update(self, update: PostedUpdate) -> None: ...
    async def runner_party_id(self, phone_hash: str | None, email_hash: str | None) -> str | None:
        """The party id a runner already has: by phone, else by e-mail (oldest case first)."""

    async def member_id_hashes(self, parent_id: uuid.UUID) -> set[str]:
        """The ID-number hashes of a group's members (a worker joins a group once)."""

    async def open_hazards_near(self, category: str, since: datetime, box: Box) -> list[Candidate]:
        """Open, unmerged hazards of a category filed since then, inside the box."""
