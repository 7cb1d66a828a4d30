"""The committee's statistics by company, dispute type, town or month, with year-over-year change.

Counted per dispute by the year (and month) its application was received, Asia/Shanghai:
filed, accepted (the committee accepted it), agreed (an agreement took effect), failed,
expired (the mediation limit ran out), referred (to arbitration), and the median number of
calendar days from application to agreement. Each figure is one grouped SQL query on an
index (filed_year, dimension); the median uses window functions that PostgreSQL and SQLite
both run, so no case rows are ever pulled into Python.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import Dispute

Dimension = Literal["company", "dispute_type", "town", "month"]
COUNTS = ("filed", "accepted", "agreed", "failed", "expired", "referred")
T = Dispute.__table__  # type: ignore[attr-defined]


def _key(by: Dimension) -> sa.ColumnElement[Any]:
    column = {
        "company": T.c.company_key,
        "dispute_type": T.c.dispute_type,
        "town": sa.func.coalesce(T.c.town, ""),
        "month": sa.func.substr(T.c.filed_month, 6, 2),
    }[by]
    labelled: sa.ColumnElement[Any] = column.label("key")
    return labelled


def _where(year: int, month: int | None) -> list[sa.ColumnElement[bool]]:
    clauses = [T.c.filed_year == year]
    if month is not None:
        clauses.append(T.c.filed_month == f"{year:04d}-{month:02d}")
    return clauses


def _outcome(value: str) -> sa.ColumnElement[Any]:
    return sa.func.sum(sa.case((T.c.outcome == value, 1), else_=0))


async def _figures(
    session: AsyncSession, by: Dimension, year: int, month: int | None
) -> dict[str, dict[str, Any]]:
    key = _key(by)
    counts = (
        sa.select(
            key,
            sa.func.max(T.c.company).label("label"),
            sa.func.count().label("filed"),
            sa.func.count(T.c.accepted_at).label("accepted"),
            sa.func.count(T.c.agreement_effective_at).label("agreed"),
            _outcome("failed").label("failed"),
            _outcome("expired_no_agreement").label("expired"),
            sa.func.count(T.c.referred_at).label("referred"),
        )
        .where(*_where(year, month))
        .group_by(key)
    )
    out: dict[str, dict[str, Any]] = {}
    for row in (await session.execute(counts)).mappings():
        label = row["label"] if by == "company" else row["key"]
        out[str(row["key"])] = {"key": row["key"], "label": label} | {
            c: int(row[c] or 0) for c in COUNTS
        }
    for group, median in await _medians(session, by, year, month):
        if str(group) in out:
            out[str(group)]["median_days_to_agreement"] = float(median)
    return out


async def _medians(
    session: AsyncSession, by: Dimension, year: int, month: int | None
) -> list[tuple[Any, Any]]:
    key = _key(by)
    ranked = (
        sa.select(
            key,
            T.c.days_to_agreement.label("days"),
            sa.func.row_number().over(partition_by=key, order_by=T.c.days_to_agreement).label("rn"),
            sa.func.count().over(partition_by=key).label("n"),
        )
        .where(*_where(year, month), T.c.days_to_agreement.is_not(None))
        .subquery()
    )
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    stmt = sa.select(ranked.c.key, sa.func.avg(ranked.c.days)).where(middle).group_by(ranked.c.key)
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


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
