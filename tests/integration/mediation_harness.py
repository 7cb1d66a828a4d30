"""The mediation service in-process: real database and Redis, HTTP through ASGI, a frozen clock.

Events from intake are applied through the service's own idempotent consumer; timers are
fired by calling the app's scheduler (or extra schedulers standing in for replicas).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from services.mediation.adapters.tables import KIT, TIMER
from services.mediation.app import MIGRATIONS, create_app
from services.mediation.config import MediationSettings
from services.mediation.entrypoints.events import timer_handler
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import CaseFiled, DisputeDetails, GroupDetails
from shared.messaging.timers import TimerScheduler
from shared.platform.clock import FrozenClock
from shared.platform.db import upgrade_async
from shared.platform.runtime import ServiceRuntime
from tests.auth import OFFICER, auth_headers

COMMITTEE = auth_headers("committee", "chair")
SUDA = "91310000SUDA00001X"  # the HQ station's mediator med-sun is tied to this company
HQLW = "91310118HQLW00002A"


def mediator(mediator_id: str) -> dict[str, str]:
    return auth_headers("mediator", mediator_id)


def case_filed(
    *,
    dispute_type: str = "unpaid_wages",
    platform_worker: bool = False,
    respondents: tuple[tuple[str, str], ...] = (("沪青劳务外包有限公司", HQLW),),
    town: str | None = "huaxin",
    arose_on: date | None = None,
    parent_case_id: uuid.UUID | None = None,
    at: datetime | None = None,
    complainant_id: str | None = None,
    complainant_name: str = "李某",
    received_at: datetime | None = None,
    representatives: list[str] | None = None,
    claim_amount_yuan: float | None = None,
) -> Any:
    case_id = uuid.uuid4()
    parties = [
        PartyRef(
            role="complainant",
            party_id=complainant_id or f"p-{uuid.uuid4().hex[:16]}",
            display_name=complainant_name,
        ),
        *(
            PartyRef(role="respondent", party_id=f"org-{code}", display_name=name)
            for name, code in respondents
        ),
    ]
    payload = CaseFiled(
        kind="dispute",
        tracking_code=f"D{uuid.uuid4().hex[:8].upper()}",
        channel="officer",
        title="拖欠工资",
        description="十月工资未发放",
        jurisdiction=town,
        parties=parties,
        dispute=DisputeDetails(
            dispute_type=dispute_type,
            claim="支付工资8600元",
            platform_worker=platform_worker,
            dispute_arose_on=arose_on,
            received_at=received_at,
            received_by="王敏" if received_at else None,
            received_via="post" if received_at else None,
            claim_amount_yuan=claim_amount_yuan,
            group=(
                GroupDetails(representative_party_ids=representatives, member_count=0)
                if representatives
                else None
            ),
        ),
        parent_case_id=parent_case_id,
    )
    return new_event(
        "case.filed",
        payload,
        case_id=case_id,
        actor=Actor(role="intake_officer", id="officer-1"),
        producer="intake",
        occurred_at=at,
    )


class Mediation:
    def __init__(self, app: FastAPI, clock: FrozenClock, client: httpx.AsyncClient) -> None:
        self.app, self.clock, self.client = app, clock, client
        self.runtime: ServiceRuntime = app.state.runtime
        self.scheduler: TimerScheduler = app.state.timers

    async def file(self, **kw: Any) -> tuple[uuid.UUID, Any]:
        envelope = case_filed(at=kw.pop("at", None) or self.clock.now(), **kw)
        assert await self.runtime.consumer.apply(envelope)
        return envelope.case_id, envelope

    def replica(self) -> TimerScheduler:
        """Another mediation replica's timer scheduler on the same database."""
        return TimerScheduler(
            TIMER, self.runtime.uow, timer_handler(self.app.state.context), self.clock
        )

    async def get(self, case_id: uuid.UUID) -> dict[str, Any]:
        response = await self.client.get(f"/api/v1/disputes/{case_id}")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def post(
        self, case_id: uuid.UUID, step: str, headers: dict[str, str], body: Any = None
    ) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/disputes/{case_id}/{step}", headers=headers, json=body or {}
        )

    async def ok(
        self, case_id: uuid.UUID, step: str, headers: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        response = await self.post(case_id, step, headers, body)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    async def accepted(self, **kw: Any) -> tuple[uuid.UUID, dict[str, Any]]:
        case_id, _ = await self.file(**kw)
        return case_id, await self.ok(case_id, "accept", COMMITTEE)

    async def in_mediation(self, **kw: Any) -> tuple[uuid.UUID, dict[str, Any]]:
        case_id, dispute = await self.accepted(**kw)
        return case_id, await self.ok(case_id, "start", mediator(dispute["mediator_id"]))

    async def events(self, case_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
        """Every event mediation committed to its outbox (in commit order)."""
        import json

        async with self.runtime.engine.connect() as conn:
            stmt = sa.select(KIT.outbox.c.body).order_by(KIT.outbox.c.seq)
            if case_id is not None:
                stmt = stmt.where(KIT.outbox.c.case_id == case_id)
            return [json.loads(r.body) for r in await conn.execute(stmt)]

    async def event_types(self, case_id: uuid.UUID) -> list[str]:
        return [e["event_type"] for e in await self.events(case_id)]


@contextlib.asynccontextmanager
async def running_mediation(
    database_url: str, redis_url: str, clock: FrozenClock, **settings: Any
) -> AsyncIterator[Mediation]:
    config = MediationSettings(
        database_url=database_url,
        redis_url=redis_url,
        **settings,
    )
    app = create_app(config, now=clock.now)
    runtime: ServiceRuntime = app.state.runtime
    # The service's own parts without its Redis subscriber: events are applied through the
    # consumer directly and timers fired by hand, so nothing runs on its own in the background.
    await upgrade_async(MIGRATIONS, database_url)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mediation", headers=OFFICER
        ) as client:
            yield Mediation(app, clock, client)
    finally:
        await runtime.redis.aclose()
        await runtime.engine.dispose()
