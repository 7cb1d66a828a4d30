"""The scale phase: N disputes bulk-loaded into mediation's PostgreSQL (and its rollups
rebuilt, as an operator would after a bulk import), then the committee's list, filter, queue
and statistics queries timed over HTTP (p95)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import sqlalchemy as sa

from waystation.bench.baseline import percentile

# SQL for every NOT NULL column of `dispute` (generate_series row number `g`); a new NOT NULL
# column without an entry here makes the phase fail loudly rather than measure a stale schema.
_COLUMNS: dict[str, str] = {
    "case_id": "md5(g::text || 'bench')::uuid",
    "tracking_code": "'B' || lpad(to_hex(g), 8, '0')",
    "state": "(ARRAY['registered','acceptance_review','assigned','in_mediation','waiting_party',"
    "'performance_monitoring','closed','closed','closed','expired_no_agreement'])[1 + g % 10]",
    "dispute_type": "(ARRAY['unpaid_wages','overtime_pay','injury_compensation',"
    "'penalty_deduction','contract_termination','social_insurance'])[1 + g % 6]",
    "platform_worker": "g % 3 = 0",
    "title": "'压测纠纷 ' || g",
    "complainant_id": "'p-bench-' || g",
    "complainant_name": "'压测申请人'",
    "respondents": "'[]'::json",
    "application_received_at": "now() - (g % 1000) * interval '1 day'",
    "created_at": "now() - (g % 1000) * interval '1 day'",
    "updated_at": "now() - (g % 1000) * interval '1 day'",
    "town": "(ARRAY['xiayang','yingpu','xianghuaqiao','zhaoxiang','xujing','huaxin','chonggu',"
    "'baihe','zhujiajiao','liantang','jinze'])[1 + g % 11]",
    "company": "'压测公司' || (g % 500)",
    "company_key": "'bench-company-' || (g % 500)",
    "filed_on": "(now() - (g % 1000) * interval '1 day')::date",
    "filed_year": "extract(year from now() - (g % 1000) * interval '1 day')::int",
    "filed_month": "to_char(now() - (g % 1000) * interval '1 day', 'YYYY-MM')",
    "risk": "false",
    "objected_mediators": "'[]'::json",
    "representatives": "'[]'::json",
    "companies": "'[]'::json",
    "group_size": "0",
    "history_count": "0",
    "mediation_extended_days": "0",
    "days_to_agreement": "CASE WHEN g % 10 >= 5 THEN 3 + g % 12 END",
    "outcome": "CASE WHEN g % 10 >= 6 THEN 'performed' END",
    "mediator_id": "'med-' || (g % 40)",
    "duty_body": "(ARRAY['huaxin-judicial','huaxin-police','lawfirm-minghe'])[1 + g % 3]",
}


async def load_disputes(database_url: str, n: int) -> float:
    """Insert n disputes in chunks with INSERT ... SELECT generate_series; returns seconds."""
    from services.mediation.adapters.tables import Dispute
    from shared.db import make_engine

    table = Dispute.__table__  # type: ignore[attr-defined]
    missing = [c.name for c in table.columns if not c.nullable and c.name not in _COLUMNS]
    if missing:
        raise RuntimeError(f"the scale loader does not know NOT NULL columns {missing}")
    columns = [c for c in _COLUMNS if c in table.columns]
    engine = make_engine(database_url)
    started = time.perf_counter()
    async with engine.begin() as conn:
        for lo in range(1, n + 1, 100_000):
            hi = min(lo + 99_999, n)
            await conn.execute(
                sa.text(
                    f"INSERT INTO dispute ({', '.join(columns)}) SELECT "
                    f"{', '.join(_COLUMNS[c] for c in columns)} FROM generate_series({lo}, {hi}) g"
                )
            )
        await conn.execute(sa.text("ANALYZE dispute"))
    await engine.dispose()
    return time.perf_counter() - started


async def rebuild_rollups(database_url: str) -> float:
    """The bulk load bypassed the service: recount the committee's rollups; returns seconds."""
    from waystation.rollups import rebuild_rollups as rebuild

    started = time.perf_counter()
    await rebuild(database_url)
    return time.perf_counter() - started


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
