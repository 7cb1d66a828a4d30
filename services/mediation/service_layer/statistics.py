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
from typing import Any, Literal

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import DisputeStat, DisputeStatDays
from services.mediation.domain.rollup import MEASURES, median

Dimension = Literal["company", "dispute_type", "town", "month"]
COUNTS = MEASURES


def _period(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


async def _figures(
    session: AsyncSession, by: Dimension, year: int, month: int | None
) -> dict[str, dict[str, Any]]:
    period = _period(year, month)
    stmt = select(DisputeStat).where(
        DisputeStat.period == period, DisputeStat.dimension == by, DisputeStat.filed != 0
    )
    out: dict[str, dict[str, Any]] = {}
    for row in (await session.exec(stmt)).all():
        label = row.label if by == "company" else row.key
        out[row.key] = {"key": row.key, "label": label} | {c: getattr(row, c) for c in COUNTS}
    days = select(DisputeStatDays.key, DisputeStatDays.days, DisputeStatDays.n).where(
        DisputeStatDays.period == period, DisputeStatDays.dimension == by
    )
    histograms: dict[str, list[tuple[int, int]]] = {}
    for key, d, n in (await session.exec(days)).all():
        histograms.setdefault(key, []).append((d, n))
    for key, histogram in histograms.items():
        value = median(histogram)
        if key in out and value is not None:
            out[key]["median_days_to_agreement"] = value
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
