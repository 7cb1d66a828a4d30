"""The committee's statistics by company, dispute type, town or month, with year-over-year change.

Counted per dispute by the year (and month) its application was received, Asia/Shanghai:
filed, accepted (the committee accepted it), agreed (an agreement took effect), failed,
expired (the mediation limit ran out), referred (to arbitration), and the median number of
calendar days from application to agreement. Every figure is read from the rollups kept in
the same transaction as each change to a dispute (adapters/rollup_tracking.py): one row per
group and period, and a histogram with one bucket per day for the median, which is exact.
No case row is read, so a request costs the same at a thousand cases or a million.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import DisputeStat, DisputeStatDays
from services.mediation.domain.rollup import MEASURES, median

Dimension = Literal["company", "dispute_type", "town", "month"]
COUNTS = MEASURES
S = DisputeStat.__table__  # type: ignore[attr-defined]
H = DisputeStatDays.__table__  # type: ignore[attr-defined]


def _period(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


async def _figures(
    session: AsyncSession, by: Dimension, year: int, month: int | None
) -> dict[str, dict[str, Any]]:
    period = _period(year, month)
    stmt = sa.select(S.c.key, S.c.label, *(S.c[c] for c in COUNTS)).where(
        S.c.period == period, S.c.dimension == by, S.c.filed != 0
    )
    out: dict[str, dict[str, Any]] = {}
    for row in (await session.execute(stmt)).mappings():
        label = row["label"] if by == "company" else row["key"]
        out[row["key"]] = {"key": row["key"], "label": label} | {c: row[c] for c in COUNTS}
    for key, value in (await _medians(session, period, by)).items():
        if key in out:
            out[key]["median_days_to_agreement"] = value
    return out


async def _medians(session: AsyncSession, period: str, by: Dimension) -> dict[str, float]:
    """Each group's median from its histogram; SQL keeps only the buckets holding the middle.

    A bucket holds the ranks (upto - n, upto]; the middle ranks are (total + 1) // 2 and
    (total + 2) // 2, so at most two buckets per group reach Python, and the buckets below and
    above them stand in as one each: the median is the same, exactly.
    """
    upto = sa.func.sum(H.c.n).over(partition_by=H.c.key, order_by=H.c.days)
    total = sa.func.sum(H.c.n).over(partition_by=H.c.key)
    ranked = (
        sa.select(H.c.key, H.c.days, H.c.n, upto.label("upto"), total.label("total"))
        .where(H.c.period == period, H.c.dimension == by, H.c.n > 0)
        .subquery()
    )
    low, high = (ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2
    middle = sa.select(ranked).where(ranked.c.upto >= low, ranked.c.upto - ranked.c.n < high)
    buckets: dict[str, list[tuple[float, int]]] = {}
    ends: dict[str, tuple[int, int]] = {}
    for key, days, n, reached, of in await session.execute(middle.order_by(ranked.c.key)):
        buckets.setdefault(key, [(-math.inf, int(reached) - n)]).append((days, n))
        ends[key] = (int(reached), int(of))
    out = {}
    for key, histogram in buckets.items():
        reached, of = ends[key]
        value = median([*histogram, (math.inf, of - reached)])
        if value is not None:
            out[key] = value
    return out


def _change(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100.0 / before, 1)


async def statistics(
    session: AsyncSession, by: Dimension, year: int, month: int | None = None
) -> dict[str, Any]:
    """This year's figures per group beside last year's, with the change in per cent."""
    current = await _figures(session, by, year, month)
    previous = await _figures(session, by, year - 1, month)
    rows = []
    for group in sorted(set(current) | set(previous)):
        now = current.get(group) or {"key": group, "label": previous[group]["label"]}
        before = previous.get(group, {})
        row = {c: now.get(c, 0) for c in COUNTS} | {
            "key": now["key"],
            "label": now["label"],
            "median_days_to_agreement": now.get("median_days_to_agreement"),
            "previous_year": {c: before.get(c, 0) for c in COUNTS}
            | {"median_days_to_agreement": before.get("median_days_to_agreement")},
            "change_pct": {c: _change(now.get(c, 0), before.get(c, 0)) for c in COUNTS},
        }
        rows.append(row)
    return {"by": by, "year": year, "month": month, "rows": rows}


def to_csv(report: dict[str, Any]) -> str:
    """One line per group: this year's figures, last year's, and the change."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [report["by"], "label", *COUNTS, "median_days_to_agreement"]
        + [f"{c}_previous_year" for c in COUNTS]
        + [f"{c}_change_pct" for c in COUNTS]
    )
    for row in report["rows"]:
        writer.writerow(
            [row["key"], row["label"], *(row[c] for c in COUNTS), row["median_days_to_agreement"]]
            + [row["previous_year"][c] for c in COUNTS]
            + [row["change_pct"][c] for c in COUNTS]
        )
    return buffer.getvalue()
