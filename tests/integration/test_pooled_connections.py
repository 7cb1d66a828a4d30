"""A pooled connection the database closed is never handed out (without a ping per checkout)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db import make_engine


async def _backend(engine: AsyncEngine) -> tuple[int, object]:
    async with engine.connect() as conn:
        pid = (await conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
        raw = await conn.get_raw_connection()
        return pid, raw.driver_connection


async def test_a_connection_the_server_closed_is_replaced_at_checkout(
    new_pg_database: Callable[[], str], pg_admin_url: str
) -> None:
    engine = make_engine(new_pg_database(), pool_size=1, max_overflow=0)
    try:
        pid, driver = await _backend(engine)
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        async with asyncio.timeout(10):  # the driver learns of the close from the socket
            while not driver.is_closed():  # type: ignore[attr-defined]
                await asyncio.sleep(0.01)
        # the one pooled connection is dead: the checkout must replace it, not fail
        new_pid, _ = await _backend(engine)
        assert new_pid != pid
    finally:
        await engine.dispose()


async def test_another_postgresql_driver_keeps_sqlalchemys_ping(pg_admin_url: str) -> None:
    """The checkout hook asks asyncpg; psycopg's pool pings the way SQLAlchemy does."""
    engine = make_engine(pg_admin_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(sa.text("SELECT 1"))).scalar_one() == 1
        assert engine.sync_engine.pool._pre_ping
    finally:
        await engine.dispose()
