"""The body of every service's Alembic env.py: async, batch mode on SQLite, locked on PostgreSQL."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

# Two replicas starting together must not both run the same migration.
_MIGRATION_LOCK = 0x57A7_0001


def _run_sync(connection: Connection, metadata: sa.MetaData, version_table: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        version_table=version_table,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        context.run_migrations()


async def _run_online(metadata: sa.MetaData, version_table: str) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = create_async_engine(url, poolclass=sa.pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, metadata, version_table)
    await engine.dispose()


def run(metadata: sa.MetaData, version_table: str = "alembic_version") -> None:
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            version_table=version_table,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata, version_table))
