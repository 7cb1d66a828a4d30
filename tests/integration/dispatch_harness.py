"""Dispatch as a running service on a real database and Redis, with a frozen clock.

Intake's events are fed as intake would publish them (built from the shared contracts); what
dispatch announces is read back from its outbox, in commit order.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa

from services.dispatch.adapters.tables import KIT, TIMER
from services.dispatch.app import create_app
from services.dispatch.config import DispatchSettings
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import (
    CaseCorrected,
    CaseFiled,
    CaseMerged,
    CaseUnmerged,
    DepartmentUpdatePosted,
    HazardDetails,
    ReporterConfirmedFixed,
    ReporterReportedNotFixed,
)
from shared.platform.clock import FrozenClock
from tests.auth import OFFICER, auth_headers

START = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)  # 11:40 in Shanghai
ADMIN = auth_headers("admin", "admin-1")


def dept(department_id: str) -> dict[str, str]:
    return auth_headers("department", department_id)


def reporter(party_id: str) -> dict[str, str]:
    return auth_headers("reporter", party_id)


def _intake(
    event_type: str, payload: Any, case_id: uuid.UUID, actor: Actor | None = None
) -> Envelope:
    return new_event(
        event_type,
        payload,
        case_id=case_id,
        actor=actor or Actor(role="intake_officer", id="officer-1"),
        producer="intake",
    )


def case_filed(
    category: str = "manhole_cover",
    jurisdiction: str | None = "zhaoxiang",
    *,
    party_id: str | None = None,
    duplicate_of: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
) -> Envelope:
    party = PartyRef(
        role="reporter", party_id=party_id or f"p-{uuid.uuid4().hex[:8]}", display_name="吴师傅"
    )
    return _intake(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code=f"T{uuid.uuid4().hex[:8].upper()}",
            channel="open311",
            title="人行道窨井盖缺失",
            description="赵巷镇人行道上窨井盖缺失，送餐经过时差点踩空。",
            jurisdiction=jurisdiction,
            parties=[party],
            hazard=HazardDetails(category=category, location=GeoPoint(lat=31.155, lng=121.195)),
            duplicate_of=duplicate_of,
        ),
        case_id or uuid.uuid4(),
    )


def reporter_of(filed: Envelope) -> str:
    return str(filed.payload["parties"][0]["party_id"])


def answer(case_id: uuid.UUID, party_id: str, *, fixed: bool, note: str = "") -> Envelope:
    actor = Actor(role="reporter", id=party_id)
    if fixed:
        return _intake(
            "reporter.confirmed_fixed", ReporterConfirmedFixed(note=note), case_id, actor
        )
    return _intake(
        "reporter.reported_not_fixed", ReporterReportedNotFixed(note=note), case_id, actor
    )


def merged(original: uuid.UUID, duplicate: uuid.UUID, party_id: str) -> Envelope:
    follower = PartyRef(role="follower", party_id=party_id, display_name="骑手")
    return _intake(
        "case.merged",
        CaseMerged(duplicate_case_id=duplicate, follower=follower, distance_m=80),
        original,
    )


def unmerged(split: uuid.UUID, original: uuid.UUID, party_id: str) -> Envelope:
    return _intake(
        "case.unmerged", CaseUnmerged(from_case_id=original, follower_party_id=party_id), split
    )


def corrected(
    case_id: uuid.UUID,
    category: str,
    jurisdiction: str,
    previous: tuple[str, str],
    *,
    title: str = "",
) -> Envelope:
    return _intake(
        "case.corrected",
        CaseCorrected(
            category=category,
            jurisdiction=jurisdiction,
            previous_category=previous[0],
            previous_jurisdiction=previous[1],
            reason="定位错误",
            title=title,
        ),
        case_id,
    )


def update_posted(
    case_id: uuid.UUID, department_id: str, update_id: str, action: str, note: str = ""
) -> Envelope:
    return _intake(
        "department.update_posted",
        DepartmentUpdatePosted(
            department_id=department_id,
            update_id=update_id,
            action=action,  # type: ignore[arg-type]
            note=note,
        ),
        case_id,
        Actor(role="department", id=department_id),
    )


class Dispatch:
    """One dispatch replica: its app (lifespan entered), HTTP client, consumer and timers."""

    def __init__(
        self, database_url: str, redis_url: str, clock: FrozenClock, **settings: Any
    ) -> None:
        self.clock = clock
        self.settings = DispatchSettings(
            database_url=database_url,
            redis_url=redis_url,
            environment="test",
            instance=f"t-{uuid.uuid4().hex[:6]}",
            relay_poll_interval=0.05,
            **settings,
        )
        self.app = create_app(self.settings, clock, run_timers=False)
        self.runtime = self.app.state.runtime
        self.scheduler = self.app.state.scheduler
        self._lifespan: AbstractAsyncContextManager[None] | None = None
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://dispatch", headers=OFFICER
        )

    async def __aenter__(self) -> Dispatch:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()
        assert self._lifespan is not None
        await self._lifespan.__aexit__(None, None, None)

    async def feed(self, envelope: Envelope) -> bool:
        """Apply one of intake's events as the consumer would (idempotently)."""
        return bool(await self.runtime.consumer.apply(envelope))

    async def tick(self) -> int:
        """Run the timer scheduler once at the clock's time."""
        return int(await self.scheduler.run_once())

    async def emitted(
        self, case_id: uuid.UUID | None = None, *, suggestions: bool = False
    ) -> list[Envelope]:
        """What dispatch announced (its outbox), in commit order; the `station.suggested` that
        follows every filing (#25) only when asked for, so lifecycle tests read the lifecycle."""
        stmt = sa.select(KIT.outbox.c.body).order_by(KIT.outbox.c.seq)
        if case_id is not None:
            stmt = stmt.where(KIT.outbox.c.case_id == case_id)
        async with self.runtime.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        envelopes = [Envelope.model_validate_json(r.body) for r in rows]
        return [e for e in envelopes if suggestions or e.event_type != "station.suggested"]

    async def types(self, case_id: uuid.UUID) -> list[str]:
        return [e.event_type for e in await self.emitted(case_id)]

    async def timers(self, case_id: uuid.UUID) -> list[dict[str, Any]]:
        async with self.runtime.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(TIMER).where(TIMER.c.case_id == case_id).order_by(TIMER.c.due_at)
            )
            return [dict(r._mapping) for r in rows]

    async def get(
        self, case_id: uuid.UUID, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        response = await self.http.get(f"/api/v1/hazards/{case_id}", headers=headers or OFFICER)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def post(
        self, case_id: uuid.UUID, action: str, headers: dict[str, str], body: Any = None
    ) -> httpx.Response:
        return await self.http.post(
            f"/api/v1/hazards/{case_id}/{action}", headers=headers, json=body
        )
