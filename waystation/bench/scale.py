"""The scale phase: N disputes with their clocks bulk-loaded into mediation's PostgreSQL (and
its rollups rebuilt, as an operator would after a bulk import), then the committee's list,
filter, queue, statistics and clock lists (running, overdue, due soon) timed over HTTP (p95)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from waystation.bench.baseline import percentile


async def rebuild_rollups(database_url: str) -> float:
    """The bulk load bypassed the service: recount the committee's rollups; returns seconds."""
    from services.mediation.entrypoints.cli import rebuild_rollups as rebuild

    started = time.perf_counter()
    await rebuild(database_url)
    return time.perf_counter() - started


async def load_disputes(database_url: str, n: int) -> float:
    """Insert n disputes into mediation's database; returns seconds."""
    from services.mediation.entrypoints.cli import load_disputes as load

    return await load(database_url, n)


QUERIES = {
    "list (newest 50)": "/api/v1/disputes?limit=50",
    "filter by state": "/api/v1/disputes?state=in_mediation&limit=50",
    "filter by company": "/api/v1/disputes?company_key=bench-company-42&limit=50",
    "filter by town + type": "/api/v1/disputes?town=huaxin&dispute_type=unpaid_wages&limit=50",
    "queues by state": "/api/v1/committee/queues",
    "statistics by month": "/api/v1/committee/statistics?by=month",
    "statistics by company": "/api/v1/committee/statistics?by=company",
    "statistics by type": "/api/v1/committee/statistics?by=dispute_type",
    "statistics by town": "/api/v1/committee/statistics?by=town",
    "running clocks (first 100)": "/api/v1/committee/clocks?limit=100",
    "overdue (clocks loaded)": "/api/v1/committee/overdue?limit=100",
    "due within 3 days": "/api/v1/committee/due-soon?days=3&limit=100",
}


def time_queries(
    base_url: str, headers: Callable[[], dict[str, str]], rounds: int
) -> dict[str, Any]:
    """p50 and p95 of each query; a fresh token per query (a slow run outlives a 15-min one)."""
    figures: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for name, path in QUERIES.items():
            client.headers.update(headers())
            client.get(path).raise_for_status()  # warm-up
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
            figures[name] = {
                "p50_ms": round(percentile(samples, 50), 1),
                "p95_ms": round(percentile(samples, 95), 1),
            }
    return figures
