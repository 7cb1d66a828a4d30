"""When each mediator was last assigned: the round robin's memory (`mediator_stat`)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import MediatorStat
from shared.platform.db import conflict_insert

_STAT: sa.Table = MediatorStat.__table__  # type: ignore[attr-defined]


async def record_assignment(session: AsyncSession, mediator_id: str, at: datetime) -> None:
    """Upsert, not read-then-insert: two acceptances assigning one mediator for the first
    time at the same moment both insert, and the second would fail on the primary key."""
    dialect = session.get_bind().dialect.name
    stmt = conflict_insert(dialect)(_STAT).values(mediator_id=mediator_id, last_assigned_at=at)
    # SQLite's max(a, b) is scalar
    later = sa.func.greatest if dialect == "postgresql" else sa.func.max
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["mediator_id"],
            set_={
                "last_assigned_at": later(_STAT.c.last_assigned_at, stmt.excluded.last_assigned_at)
            },
        )
    )


async def last_assigned(session: AsyncSession) -> dict[str, float]:
    """Mediator id -> POSIX time of the last assignment (columns, not ORM objects: the upsert
    above bypasses the identity map, whose copies would be stale within a transaction)."""
    rows = (await session.execute(sa.select(_STAT.c.mediator_id, _STAT.c.last_assigned_at))).all()
    return {mid: _utc(at).timestamp() for mid, at in rows}


def _utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)
