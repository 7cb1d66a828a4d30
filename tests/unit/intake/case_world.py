"""A fake unit of work over an in-memory case repository, a frozen clock and ctx: the
world intake's case use cases run in, in memory (tests/unit/test_intake_case_*.py)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.context import Context
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.platform.clock import FrozenClock
from tests.unit.fake_uow import FakeUnitOfWork
from tests.unit.intake.fakes import FakeCaseRepository

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
OFFICER = Actor(role="intake_officer", id="officer-1")


class World:
    """A fake unit of work over an in-memory case repository, and a frozen clock."""

    def __init__(self) -> None:
        self.clock = FrozenClock(START)
        self.repo = FakeCaseRepository()
        self.uow = FakeUnitOfWork("intake", self.clock, cases=self.repo)
        cipher = PiiCipher(os.urandom(32), os.urandom(32))
        self.ctx = Context(JurisdictionMap.from_file(), clock=self.clock, cipher=cipher)

    def filed(self, **fields: Any) -> uuid.UUID:
        case = Case(
            **{
                "id": uuid.uuid4(),
                "kind": "hazard",
                "tracking_code": new_tracking_code(),
                "channel": "officer",
                "title": "道路破损：赵巷镇",
                "description": "路面有坑",
                "category": "road_damage",
                "jurisdiction": "zhaoxiang",
                "latitude": 31.155,
                "longitude": 121.195,
                "created_at": START,
                "updated_at": START,
                "status_at": START,
            }
            | fields
        )
        self.repo.add(case)
        return case.id

    def party(self, case_id: uuid.UUID, role: str, party_id: str, **fields: Any) -> None:
        self.repo.save_parties([Party(case_id, role, party_id, name="张三", **fields)])

    async def act(self, use_case: Any, first: Any, second: Any, *rest: Any) -> list[str]:
        """One request as a route runs it (use case, commit); the events committed. Every
        use case here takes the unit of work third."""
        async with self.uow as uow:
            await use_case(first, second, uow, *rest)
            await uow.commit()
        return [e.event_type for e in self.uow.committed_events]

    def case(self, case_id: uuid.UUID) -> Case:
        return self.repo.cases[case_id]


def dispatch_event(case_id: uuid.UUID, event_type: str, at: datetime, **payload: Any) -> Envelope:
    return Envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        occurred_at=at,
        case_id=case_id,
        correlation_id=uuid.uuid4(),
        actor=SYSTEM,
        payload=payload,
        producer="dispatch",
    )
