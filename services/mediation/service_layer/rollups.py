"""The rollups counted again from the disputes themselves: to check them, or to rebuild them.

`recount` is a second derivation of the same figures (from the disputes as they stand,
where adapters/rollup_tracking.py adds per-change deltas), so comparing the two proves the
rollups have not drifted. `rebuild` replaces the rollups by the recount, after a
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
BATCH = 5000  # disputes read per round trip while recounting


def _add(cells: dict[Cell, int], cell: Cell, n: int) -> None:
    if n:
        cells[cell] = cells.get(cell, 0) + n


async def recount(session: AsyncSession) -> tuple[dict[Cell, int], Labels]:
    """Every rollup figure, counted from the dispute table by the very rules that keep them
    (domain/rollup.py), in key order, a batch at a time: a dispute counts under each of its
    respondents and a group once with its headcount, so SQL GROUP BYs would drift."""
    cells: dict[Cell, int] = {}
    names: Labels = {}
    after: Any = None
    while True:
        stmt = sa.select(T.c.case_id, *(T.c[n] for n in TRACKED)).order_by(T.c.case_id)
        if after is not None:
            stmt = stmt.where(T.c.case_id > after)
        rows = (await session.execute(stmt.limit(BATCH))).mappings().all()
        if not rows:
            return cells, names
        for row in rows:
            facts = {n: row[n] for n in TRACKED}
            for cell, n in counts(facts).items():
                _add(cells, cell, n)
            for group, name in labels(facts).items():
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
