"""A calendar year loaded through one mediation replica (#23.2): every open legal clock whose
end it moves is recomputed once, its warnings and expiry rescheduled once; the other replica
sees the year within seconds. Two replicas (each with its lifespan: the watch runs) on one
database and a real Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from services.mediation.adapters.tables import TIMER
from services.mediation.app import create_app
from services.mediation.config import MediationSettings
from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import COMMITTEE, OFFICER, case_filed

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@contextlib.asynccontextmanager
async def replica(database_url: str, redis_url: str, clock: FrozenClock) -> AsyncIterator[Any]:
    settings = MediationSettings(
        database_url=database_url, redis_url=redis_url, calendar_refresh_seconds=0.2
    )
    app: FastAPI = create_app(settings, now=clock.now)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mediation", headers=OFFICER
        ) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


async def limitation(client: httpx.AsyncClient, case_id: Any) -> dict[str, Any]:
    dispute = (await client.get(f"/api/v1/disputes/{case_id}", headers=COMMITTEE)).json()
    return next(c for c in dispute["clocks"] if c["clock"] == "arbitration_limitation")


async def test_a_year_loaded_on_one_replica_moves_open_clocks_once_and_reaches_the_other(
    database_url: str, redis_url: str
):
    clock = FrozenClock(MONDAY)
    async with (
        replica(database_url, redis_url, clock) as one,
        replica(database_url, redis_url, clock) as two,
    ):
        filed = case_filed(arose_on=date(2026, 3, 1), at=MONDAY)  # one year: 2027-03-01, a Monday
        assert await one.app.state.runtime.consumer.apply(filed)  # type: ignore[attr-defined]
        before = await limitation(one, filed.case_id)
        assert before["due_on"] == "2027-03-01"

        year = {"year": 2027, "holidays": ["2027-03-01"], "workdays": [], "source": "国办发明电"}
        loaded = await one.put("/api/v1/calendar/2027", json=year, headers=COMMITTEE)
        assert loaded.status_code == 200, loaded.text
        after = await limitation(one, filed.case_id)
        assert after["due_on"] == "2027-03-02" and after["calendar_source"].startswith("api:")

        # The timers follow, once: one live expiry at the new end, the old one cancelled.
        async with one.app.state.runtime.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = (
                await conn.execute(
                    sa.select(TIMER.c.due_at, TIMER.c.cancelled_at).where(
                        TIMER.c.case_id == filed.case_id,
                        TIMER.c.kind == "arbitration_limitation:expire",
                    )
                )
            ).all()
        live = [r.due_at for r in rows if r.cancelled_at is None]
        assert len(live) == 1 and len(rows) == 2

        # Loading the same year again moves nothing more.
        again = await one.put("/api/v1/calendar/2027", json=year, headers=COMMITTEE)
        assert again.status_code == 200
        async with one.app.state.runtime.engine.connect() as conn:  # type: ignore[attr-defined]
            count = (
                await conn.execute(
                    sa.select(sa.func.count()).where(
                        TIMER.c.case_id == filed.case_id,
                        TIMER.c.kind == "arbitration_limitation:expire",
                    )
                )
            ).scalar_one()
        assert count == 2

        # The other replica sees the year within seconds, and clocks it computes use it.
        for _ in range(50):
            known = (await two.get("/api/v1/calendar", headers=COMMITTEE)).json()
            if str(known["years"].get("2027", "")).startswith("api:"):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the second replica never saw 2027: {known}")
        other = case_filed(arose_on=date(2026, 3, 1), at=MONDAY)
        assert await two.app.state.runtime.consumer.apply(other)  # type: ignore[attr-defined]
        assert (await limitation(two, other.case_id))["due_on"] == "2027-03-02"
