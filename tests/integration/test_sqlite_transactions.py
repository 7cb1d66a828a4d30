"""On SQLite (the embedded default), a row read `FOR UPDATE` stays as read until the commit.

SQLite has no row locks and compiles `FOR UPDATE` away, and sqlite3 begins a transaction only
before the first write: a transaction's locking read ran outside it, another service's writer
could commit in between and the first one's write then undid it (a lost update: an intake case
went back from 'closed' to 'confirmed_fixed' when the projection of a notification had read it
just before dispatch's events were projected).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db import make_engine

COUNTER = sa.table("counter", sa.column("id"), sa.column("v"))
LOCKED = sa.select(COUNTER.c.v).where(COUNTER.c.id == 1).with_for_update()


async def _counter(path: Path) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER)"))
        await conn.execute(sa.text("INSERT INTO counter VALUES (1, 0)"))
    return engine


async def test_no_other_writer_commits_between_a_locking_read_and_the_write(
    tmp_path: Path,
) -> None:
    engine = await _counter(tmp_path / "c.db")
    other = sqlite3.connect(tmp_path / "c.db", timeout=0, isolation_level=None)
    try:
        async with engine.begin() as conn:
            seen = (await conn.execute(LOCKED)).scalar_one()
            # Another process's writer waits for this transaction instead of slipping in.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE counter SET v = 100")
            assert (await conn.execute(LOCKED)).scalar_one() == seen  # held already: no BEGIN
            await conn.execute(sa.update(COUNTER).values(v=seen + 1))
        other.execute("UPDATE counter SET v = v + 1")  # free again once it committed
        assert other.execute("SELECT v FROM counter").fetchone() == (2,)
    finally:
        other.close()
        await engine.dispose()


async def test_plain_and_autocommit_reads_take_no_lock_and_a_rollback_undoes_the_lock(
    tmp_path: Path,
) -> None:
    engine = await _counter(tmp_path / "c.db")
    other = sqlite3.connect(tmp_path / "c.db", timeout=0, isolation_level=None)
    try:
        async with engine.begin() as conn:
            assert (await conn.execute(sa.select(COUNTER.c.v))).scalar_one() == 0
            other.execute("UPDATE counter SET v = 5")  # a plain read blocks no writer
        async with engine.connect() as idle:
            autocommit = await idle.execution_options(isolation_level="AUTOCOMMIT")
            assert (await autocommit.execute(LOCKED)).scalar_one() == 5
            other.execute("UPDATE counter SET v = 6")
        async with engine.connect() as conn:
            trans = await conn.begin()
            await conn.execute(LOCKED)
            await conn.execute(sa.update(COUNTER).values(v=7))
            await trans.rollback()
        other.execute("UPDATE counter SET v = v + 1")  # the lock went with the rollback
        assert other.execute("SELECT v FROM counter").fetchone() == (7,)
    finally:
        other.close()
        await engine.dispose()
