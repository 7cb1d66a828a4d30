"""Two dispatch replicas starting at once on one fresh PostgreSQL database: both come up, and the
directory, the station register and the compounds are seeded once (the loser of the race sees the
winner's rows, it does not crash on their keys)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa

import shared.platform.db
from services.dispatch.adapters.tables import CompoundEntry
from services.dispatch.app import MIGRATIONS
from services.dispatch.service_layer import compounds
from services.dispatch.service_layer.compounds import load_compound_rows
from shared.platform.clock import FrozenClock
from shared.platform.db import upgrade
from tests.integration.dispatch_harness import ADMIN, START, Dispatch

pytestmark = pytest.mark.integration


async def test_two_replicas_starting_together_seed_once_and_both_run(
    new_pg_database: Callable[[], str], redis_url: str, monkeypatch: pytest.MonkeyPatch
):
    database_url = new_pg_database()
    # Migrated up front; and Alembic keeps global state, so the two replicas of this one process
    # take turns at it (separate processes take turns at PostgreSQL's lock). The race under test
    # is the seed that follows.
    await asyncio.to_thread(upgrade, MIGRATIONS, database_url)
    turns = threading.Lock()

    def upgrade_in_turn(migrations: object, url: str) -> None:
        with turns:
            upgrade(migrations, url)  # type: ignore[arg-type]

    monkeypatch.setattr(shared.platform.db, "upgrade", upgrade_in_turn)
    async with contextlib.AsyncExitStack() as stack:
        first, second = (
            Dispatch(database_url, redis_url, FrozenClock(START)),
            Dispatch(database_url, redis_url, FrozenClock(START)),
        )
        await asyncio.gather(stack.enter_async_context(first), stack.enter_async_context(second))
        for replica in (first, second):
            departments = await replica.http.get("/api/v1/directory/departments", headers=ADMIN)
            assert departments.status_code == 200, departments.text
            ids = [d["department_id"] for d in departments.json()]
            assert ids and len(ids) == len(set(ids))
            stations = await replica.http.get("/api/v1/stations", params={"limit": 5000})
            assert stations.status_code == 200, stations.text
            names = [s["name"] for s in stations.json()]
            assert "巷新驿站" in names and len(names) == len(set(names))
        compounds = await first.http.get("/api/v1/compounds", headers=ADMIN)
        assert compounds.status_code == 200, compounds.text
        body = compounds.json()
        listed = body["items"] if isinstance(body, dict) else body
        ids = [c["compound_id"] for c in listed]
        assert ids and len(ids) == len(set(ids))


async def test_a_seed_that_finds_the_other_replicas_compounds_mid_way_gives_way(
    new_pg_database: Callable[[], str], redis_url: str, monkeypatch: pytest.MonkeyPatch
):
    """The race the test above can lose only by timing, made certain: this replica finds the
    register empty, then the other commits its seed before this one looks up its first compound.
    It gives way (nothing of its own stored, no crash), and the register holds one copy."""
    async with Dispatch(new_pg_database(), redis_url, FrozenClock(START)) as replica:
        runtime = replica.runtime
        ctx = replica.app.state.context
        async with runtime.engine.begin() as conn:
            await conn.execute(sa.delete(CompoundEntry.__table__))  # type: ignore[attr-defined]
        rows = load_compound_rows()
        checked = compounds._checked
        other_seeded: list[bool] = []

        async def other_replica_first(uow, draft, ctx):  # type: ignore[no-untyped-def]
            monkeypatch.setattr(compounds, "_checked", checked)  # the other seeds unhindered
            async with runtime.uow() as other:
                other_seeded.append(await compounds.seed_compounds(other, rows, ctx))
            return await checked(uow, draft, ctx)

        monkeypatch.setattr(compounds, "_checked", other_replica_first)
        async with runtime.uow() as uow:
            assert await compounds.seed_compounds(uow, rows, ctx) is False
        assert other_seeded == [True]
        async with runtime.engine.connect() as conn:
            ids = (await conn.execute(sa.select(CompoundEntry.compound_id))).scalars().all()  # type: ignore[call-overload]
        assert sorted(ids) == sorted(compound_id for compound_id, _ in rows)
