"""What one database call costs the calling process, by the way it is made (issue #21).

CPU time of this process (`time.process_time`: the client's side only, PostgreSQL's own work
not included) per call, N calls each, on a fresh database of the local PostgreSQL:
raw asyncpg (a prepared statement), SQLAlchemy Core on one connection, the ORM's
`AsyncSession.execute` of the same Core statement, a transaction of one statement through an
`AsyncSession` from the services' own engine (checkout, BEGIN, the statement, COMMIT, checkin),
and the same transaction on raw asyncpg. It is the floor under any per-ticket figure: a
ticket's path makes a number of such calls in each service.

Run from the repository root: .venv/bin/python bench/scripts/db_call_cost.py [N] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
import warnings

sys.path.insert(0, ".")

import asyncpg  # noqa: E402
import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402

from shared.platform.db import make_engine, make_sessions  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
console = Console(highlight=False, markup=False, soft_wrap=True)


async def main(n: int, rounds: int) -> None:
    db = f"ws_callcost_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    base = ADMIN.rsplit("/", 1)[0]
    try:
        raw = await asyncpg.connect(f"{base}/{db}")
        await raw.execute("CREATE TABLE t (id uuid PRIMARY KEY, n int)")
        engine = make_engine(f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{db}")
        sessions = make_sessions(engine)
        t = sa.table("t", sa.column("id"), sa.column("n"))
        select = sa.select(t.c.n).where(t.c.id == sa.bindparam("i"))
        sql = "SELECT n FROM t WHERE id = $1"

        async def raw_call() -> None:
            await raw.fetchval(sql, uuid.uuid4())

        async def raw_transaction() -> None:
            async with raw.transaction():
                await raw.fetchval(sql, uuid.uuid4())

        async def session_transaction() -> None:
            async with sessions() as session, session.begin():
                await session.execute(select, {"i": uuid.uuid4()})

        async def per_call(call: object, count: int) -> float:
            started = time.process_time()
            for _ in range(count):
                await call()  # type: ignore[operator]
            return (time.process_time() - started) / count * 1e6

        for round_ in range(rounds):
            async with engine.connect() as conn:

                async def core_call(conn: object = conn) -> None:
                    await conn.execute(select, {"i": uuid.uuid4()})  # type: ignore[attr-defined]

                core = await per_call(core_call, n)
            async with sessions() as session:

                async def session_call(session: object = session) -> None:
                    await session.execute(select, {"i": uuid.uuid4()})  # type: ignore[attr-defined]

                orm = await per_call(session_call, n)
            figures = {
                "raw asyncpg statement": await per_call(raw_call, n),
                "SQLAlchemy Core statement": core,
                "AsyncSession.execute": orm,
                "raw asyncpg transaction of 1": await per_call(raw_transaction, n // 3),
                "AsyncSession transaction of 1": await per_call(session_transaction, n // 3),
            }
            line = ", ".join(f"{k} {v:.0f} µs" for k, v in figures.items())
            console.print(f"round {round_ + 1}: {line}")
        await raw.close()
        await engine.dispose()
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


if __name__ == "__main__":
    warnings.simplefilter("ignore", DeprecationWarning)  # sqlmodel's note on session.execute
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 3000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 2,
        )
    )
