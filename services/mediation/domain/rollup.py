"""Which rollup cells one dispute counts in, so the committee's figures need no row scan.

Three rollups, each a sum of per-dispute contributions:

- queues: one per (state, mediator) — the queues by state and each mediator's open cases;
- statistics: one per (period, dimension, key) with the counts filed, accepted, agreed,
  failed, expired and referred, how many of them are group disputes and their headcount
  (workers); a dispute counts under every respondent company it names; a period is a year
  ("2026") or a month ("2026-03"), and the dimensions are company, dispute type, town and
  month, as the committee's statistics group;
- days to agreement: a histogram per (period, dimension, key) with one bucket per whole day.
  Days to agreement is a whole number of days, so the medians read from it are exact.

A change to a dispute moves its contribution: the rollup gets `counts(after) - counts(before)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DIMENSIONS = ("company", "dispute_type", "town", "month")
MEASURES = ("filed", "accepted", "agreed", "failed", "expired", "referred", "groups", "workers")
# Every dispute field a rollup depends on; nothing else moves a figure.
TRACKED = (
    "state",
    "mediator_id",
    "filed_year",
    "filed_month",
    "company_key",
    "company",
    "dispute_type",
    "town",
    "accepted_at",
    "agreement_effective_at",
    "days_to_agreement",
    "outcome",
    "referred_at",
    "companies",
    "group_size",
    "parent_case_id",
)
QUEUE, STAT, DAYS = "queue", "stat", "days"
# (rollup, key, measure) -> how much a dispute adds
Cell = tuple[str, tuple[Any, ...], str]


def companies(facts: Mapping[str, Any]) -> dict[str, str]:
    """Every respondent's key and name; a dispute recorded before the list, its first one."""
    listed = {str(c["key"]): str(c["name"]) for c in facts.get("companies") or ()}
    return listed or {facts["company_key"]: facts["company"]}


def _keys(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    month = facts["filed_month"]
    return [
        *(("company", key) for key in companies(facts)),
        ("dispute_type", facts["dispute_type"]),
        ("town", facts["town"] or ""),
        ("month", month[5:7] if month else ""),
    ]


def periods(facts: Mapping[str, Any]) -> list[str]:
    """The year, and the month when known; a dispute without a filing year is not counted."""
    if facts["filed_year"] is None:
        return []
    year = f"{facts['filed_year']:04d}"
    return [year, facts["filed_month"]] if facts["filed_month"] else [year]


def measures(facts: Mapping[str, Any]) -> dict[str, int]:
    return {
        "filed": 1,
        "accepted": int(facts["accepted_at"] is not None),
        "agreed": int(facts["agreement_effective_at"] is not None),
        "failed": int(facts["outcome"] == "failed"),
        "expired": int(facts["outcome"] == "expired_no_agreement"),
        "referred": int(facts["referred_at"] is not None),
        # A group is one dispute of many workers; its member cases count nowhere themselves.
        "groups": int(bool(facts.get("group_size"))),
        "workers": max(int(facts.get("group_size") or 0), 1),
    }


def counts(facts: Mapping[str, Any] | None) -> dict[Cell, int]:
    """Every cell this dispute adds to (nothing for a dispute that does not exist)."""
    if facts is None or facts.get("parent_case_id") is not None:
        return {}
    out: dict[Cell, int] = {(QUEUE, (facts["state"], facts["mediator_id"] or ""), "n"): 1}
    figures = measures(facts)
    days = facts["days_to_agreement"]
    for period in periods(facts):
        for dimension, key in _keys(facts):
            group = (period, dimension, key)
            out.update({(STAT, group, m): n for m, n in figures.items() if n})
            if days is not None:
                out[(DAYS, (*group, days), "n")] = 1
    return out


def labels(facts: Mapping[str, Any] | None) -> dict[tuple[str, str, str], str]:
    """A company group is shown by its name: the greatest name seen under its key."""
    if facts is None or facts.get("parent_case_id") is not None:
        return {}
    return {
        (p, "company", key): name for p in periods(facts) for key, name in companies(facts).items()
    }


def delta(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[Cell, int]:
    """What a change does to the rollups: the cells it enters minus the cells it leaves."""
    moved = dict(counts(after))
    for cell, n in counts(before).items():
        moved[cell] = moved.get(cell, 0) - n
    return {cell: n for cell, n in moved.items() if n}


def median(histogram: Iterable[tuple[float, int]]) -> float | None:
    """The median of a histogram of (value, how many): the mean of the two middle values."""
    buckets = sorted((v, n) for v, n in histogram if n > 0)
    total = sum(n for _, n in buckets)
    if total == 0:
        return None
    low, high = (total + 1) // 2, (total + 2) // 2  # 1-based ranks of the middle
    seen, found = 0, []
    for value, n in buckets:
        for rank in (low, high):
            if seen < rank <= seen + n:
                found.append(value)
        seen += n
    return (found[0] + found[1]) / 2
