"""The rollups counted again from the disputes themselves: to check them, or to rebuild them.

`recount` is a second, independent derivation of the same figures (grouped SQL over
`dispute`, where adapters/rollup_tracking.py adds per-change deltas), so comparing the two
proves the rollups have not drifted. `rebuild` replaces the rollups by the recount, after a
bulk load that bypassed the ORM or to repair them; on PostgreSQL it holds an EXCLUSIVE lock
on the rollup tables (readers go on) so no write commits between the recount and the swap.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.rollup_tracking import HISTOGRAM, QUEUES, STATS, apply
from services.mediation.adapters.tables import Dispute
from services.mediation.domain.rollup import (
    DAYS,
    MEASURES,
    QUEUE,
    STAT,
    TRACKED,
    Cell,
    counts,
    labels,
)

T = Dispute.__table__  # type: ignore[attr-defined]
Labels = dict[tuple[str, str, str], str]
# literals, not parameters: GROUP BY must repeat the SELECT's expressions exactly
_EMPTY: sa.ColumnElement[str] = sa.literal_column("''")
_KEYS: dict[str, Any] = {
    "company": T.c.company_key,
    "dispute_type": T.c.dispute_type,
    "town": sa.func.coalesce(T.c.town, _EMPTY),
    "month": sa.func.coalesce(
        sa.func.substr(T.c.filed_month, sa.literal_column("6"), sa.literal_column("2")), _EMPTY
    ),
}
_ONE: sa.ColumnElement[int] = sa.literal_column("1")
_ZERO: sa.ColumnElement[int] = sa.literal_column("0")
# A dispute naming two respondents or more holds "}, {" (or "},{") in its companies list.
_SEVERAL = sa.cast(T.c.companies, sa.String).like(sa.literal_column("'%}%{%'"))
BATCH = 5000


def _periods(year: int, month: str | None) -> list[str]:
    return [f"{year:04d}", month] if month else [f"{year:04d}"]


def _add(cells: dict[Cell, int], cell: Cell, n: int) -> None:
    if n:
        cells[cell] = cells.get(cell, 0) + n


async def recount(session: AsyncSession) -> tuple[dict[Cell, int], Labels]:
    """Every rollup figure, counted from the dispute table: a grouped scan per dimension (a
    dispute under its first respondent; member cases of a group nowhere), then the further
    respondents of the few disputes that name several, by the rules of domain/rollup.py."""
    cells: dict[Cell, int] = {}
    names: Labels = {}
    lone = T.c.parent_case_id.is_(None)
    queues = sa.select(T.c.state, sa.func.coalesce(T.c.mediator_id, ""), sa.func.count())
    for state, mediator, n in await session.execute(
        queues.where(lone).group_by(T.c.state, T.c.mediator_id)
    ):
        _add(cells, (QUEUE, (state, mediator), "n"), int(n))
    counted = sa.and_(T.c.filed_year.is_not(None), lone)
    for dimension, key in _KEYS.items():
        group = (T.c.filed_year, T.c.filed_month, key)
        stmt = sa.select(
            *group,
            sa.func.max(T.c.company),
            sa.func.count(),
            sa.func.count(T.c.accepted_at),
            sa.func.count(T.c.agreement_effective_at),
            sa.func.sum(sa.case((T.c.outcome == "failed", _ONE), else_=_ZERO)),
            sa.func.sum(sa.case((T.c.outcome == "expired_no_agreement", _ONE), else_=_ZERO)),
            sa.func.count(T.c.referred_at),
            sa.func.sum(sa.case((T.c.group_size > _ZERO, _ONE), else_=_ZERO)),
            sa.func.sum(sa.case((T.c.group_size > _ZERO, T.c.group_size), else_=_ONE)),
        )
        for year, month, value, company, *figures in await session.execute(
            stmt.where(counted).group_by(*group)
        ):
            for period in _periods(year, month):
                for measure, n in zip(MEASURES, figures, strict=True):
                    _add(cells, (STAT, (period, dimension, value), measure), int(n or 0))
                if dimension == "company":
                    name = names.get((period, dimension, value), "")
                    names[(period, dimension, value)] = max(name, company)
        days = sa.select(*group, T.c.days_to_agreement, sa.func.count()).where(
            counted, T.c.days_to_agreement.is_not(None)
        )
        for year, month, value, d, n in await session.execute(
            days.group_by(*group, T.c.days_to_agreement)
        ):
            for period in _periods(year, month):
                _add(cells, (DAYS, (period, dimension, value, d), "n"), int(n))
    await _further_respondents(session, cells, names, sa.and_(counted, _SEVERAL))
    return cells, names


async def _further_respondents(
    session: AsyncSession, cells: dict[Cell, int], names: Labels, where: Any
) -> None:
    """The company cells of every respondent after the first, a batch of disputes at a time."""
    after: Any = None
    while True:
        stmt = sa.select(T.c.case_id, *(T.c[n] for n in TRACKED)).where(where)
        if after is not None:
            stmt = stmt.where(T.c.case_id > after)
        rows = (await session.execute(stmt.order_by(T.c.case_id).limit(BATCH))).mappings().all()
        if not rows:
            return
        for row in rows:
            facts = {n: row[n] for n in TRACKED}
            first = facts | {"companies": []}  # what the grouped scan counted already
            for cell, n in counts(facts).items():
                _add(cells, cell, n - counts(first).get(cell, 0))
            for group, name in labels(facts).items():
                if group[2] != facts["company_key"]:
                    names[group] = max(names.get(group, ""), name)
        after = rows[-1]["case_id"]


async def stored(session: AsyncSession) -> tuple[dict[Cell, int], Labels]:
    """Every figure the rollup tables hold (zeros left out, as in the recount)."""
    cells: dict[Cell, int] = {}
    labels: Labels = {}
    for state, mediator, n in await session.execute(sa.select(QUEUES)):
        _add(cells, (QUEUE, (state, mediator), "n"), n)
    for row in (await session.execute(sa.select(STATS))).mappings():
        group = (row["period"], row["dimension"], row["key"])
        for measure in MEASURES:
            _add(cells, (STAT, group, measure), row[measure])
        if row["dimension"] == "company":
            labels[group] = row["label"]
    for period, dimension, key, d, n in await session.execute(sa.select(HISTOGRAM)):
        _add(cells, (DAYS, (period, dimension, key, d), "n"), n)
    return cells, labels


async def differences(session: AsyncSession) -> list[dict[str, Any]]:
    """Where the rollups and a recount disagree (none, unless something bypassed the ORM)."""
    (held, held_labels), (counted, counted_labels) = await stored(session), await recount(session)
    out: list[dict[str, Any]] = [
        {"rollup": cell[0], "key": list(cell[1]), "measure": cell[2]}
        | {"stored": held.get(cell, 0), "recounted": counted.get(cell, 0)}
        for cell in sorted(set(held) | set(counted), key=repr)
        if held.get(cell, 0) != counted.get(cell, 0)
    ]
    out += [
        {"rollup": "label", "key": list(group), "stored": held_labels.get(group)}
        | {"recounted": name}
        for group, name in sorted(counted_labels.items())
        if held_labels.get(group) != name
    ]
    return out


async def rebuild(session: AsyncSession) -> int:
    """Replace the rollups by a recount, in one transaction; returns the cells written."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        await session.execute(
            sa.text(
                "LOCK TABLE dispute_queue_count, dispute_stat, dispute_stat_days IN EXCLUSIVE MODE"
            )
        )
    cells, labels = await recount(session)
    for table in (QUEUES, STATS, HISTOGRAM):
        await session.execute(sa.delete(table))
    await connection.run_sync(apply, cells, labels)
    await session.commit()
    return len(cells)
