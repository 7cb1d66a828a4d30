"""Database engines and Alembic migrations, the same way for every service."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def conflict_insert(dialect: str) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets WAL and a busy timeout so readers never block the writer."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        event.listen(engine.sync_engine, "before_execute", _lock_for_update)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    if parsed.get_driver_name() != "asyncpg":  # another driver: SQLAlchemy's own ping
        return create_async_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "checkout", _closed_by_server)
    return engine


def _lock_for_update(
    conn: Any, clauseelement: Any, _multiparams: Any, _params: Any, _options: Any
) -> None:
    """SQLite has no row locks, and sqlite3 begins a transaction only before a write: a
    `SELECT … FOR UPDATE` (compiled without the clause) ran outside any transaction, and
    another connection could commit between it and the write that followed (a lost update).
    Here it takes the database's write lock first (BEGIN IMMEDIATE), unless this transaction
    holds it already; the busy timeout queues the others. Plain reads still take no lock."""
    if getattr(clauseelement, "_for_update_arg", None) is None:
        return
    if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    if not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Never hand out a pooled asyncpg connection the server closed (a restart, a killed backend).

    asyncpg sees the server close the socket while the connection waits in the pool, so this
    asks the driver, without a round trip; SQLAlchemy then replaces the connection (a
    `DisconnectionError` raised at checkout, SQLAlchemy's documented hook). `pool_pre_ping`,
    which did the same with three round trips at every checkout (BEGIN, a ping, ROLLBACK, on
    asyncpg), is not used. A close that has not reached the driver yet fails the first
    statement instead; SQLAlchemy recognises it as a disconnect and invalidates the pool, and the
    caller's retry (a consumer's redelivery, a client's retry) gets a fresh connection.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("the database closed this connection")


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def transaction_memo(session: AsyncSession, key: str) -> dict[Any, Any]:
    """A dict kept under `key` for as long as the session's current transaction lasts.

    For what a batch read (and row-locked) up front: the next transaction, whose locks and
    reads are its own, starts with an empty one. Outside a transaction: a fresh dict each time.
    """
    transaction = session.sync_session.get_transaction()
    if transaction is None:
        return {}
    held = session.info.get(key)
    if held is None or held[0] is not transaction:
        held = session.info[key] = (transaction, {})
    memo: dict[Any, Any] = held[1]
    return memo


# The kit's and the audit tables' migrations: one branch every service's chain depends on.
PLATFORM_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(migrations_dir: Path, url: str) -> Config:
    """A service's Alembic config: its own revisions and the shared platform branch.

    A service's chain names the platform revisions it needs (`depends_on`); the others (the
    timer table, say) stay out of its database because the target is the service's own head.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option(
        "version_locations",
        os.pathsep.join([str(migrations_dir / "versions"), str(PLATFORM_MIGRATIONS)]),
    )
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def service_head(migrations_dir: Path) -> str:
    """The upgrade target of a service: its own branch's head (`intake@head`), which brings
    the platform revisions it depends on; the branch label is the service's folder name."""
    return f"{migrations_dir.parent.name}@head"


def upgrade(migrations_dir: Path, url: str) -> None:
    """alembic upgrade <service>@head (blocking; its env runs its own event loop)."""
    command.upgrade(alembic_config(migrations_dir, url), service_head(migrations_dir))


async def upgrade_async(migrations_dir: Path, url: str) -> None:
    """Run the migrations from inside a running loop, in a worker thread."""
    await asyncio.to_thread(upgrade, migrations_dir, url)
