"""The benchmark's bulk load: N disputes and their clocks straight into mediation's database
(bypassing the service, so the rollups must be rebuilt after it)."""

from __future__ import annotations

import time

import sqlalchemy as sa

from services.mediation.adapters.tables import Dispute, DisputeClock
from shared.platform.db import make_engine

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

# One clock per dispute, as a running district has them: the state's target (acceptance,
# mediation, performance) running for the six open states, due from 3 days ago to 41 days
# ahead (about 1 in 15 already past its day, 1 in 11 due within 3 days; 1 in 97 paused), the
# mediation limit stopped for closed disputes, and for 1 in 5 of the disputes that ran out
# of time the limit expired and still waiting for the committee (the overdue list's other half).
_CLOCK_COLUMNS: dict[str, str] = {
    "case_id": _COLUMNS["case_id"],
    "clock": "(ARRAY['acceptance_target','acceptance_target','mediation_target',"
    "'mediation_target','mediation_target','performance','mediation_limit','mediation_limit',"
    "'mediation_limit','mediation_limit'])[1 + g % 10]",
    "legal": "g % 10 >= 5",
    "started_on": "current_date - (g % 40)",
    "due_on": "CASE WHEN g % 10 < 6 AND g % 97 <> 0 THEN current_date + (g / 10) % 45 - 3"
    " WHEN g % 10 = 9 THEN current_date - (g / 10) % 30 END",
    "status": "CASE WHEN g % 10 < 6 THEN (CASE WHEN g % 97 = 0 THEN 'paused' ELSE 'open' END)"
    " WHEN g % 10 = 9 AND (g / 10) % 5 = 0 THEN 'expired' ELSE 'stopped' END",
    "calendar_source": "'calendar-days'",
    "updated_at": "now()",
}


def _insert(table: str, columns: dict[str, str], lo: int, hi: int) -> sa.TextClause:
    return sa.text(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT "
        f"{', '.join(columns.values())} FROM generate_series({lo}, {hi}) g"
    )


def _unknown(table: sa.Table, columns: dict[str, str]) -> list[str]:
    return [c.name for c in table.columns if not c.nullable and c.name not in columns]


async def load_disputes(database_url: str, n: int) -> float:
    """Insert n disputes in chunks with INSERT ... SELECT generate_series; returns seconds."""
    disputes = Dispute.__table__  # type: ignore[attr-defined]
    clocks = DisputeClock.__table__  # type: ignore[attr-defined]
    missing = _unknown(disputes, _COLUMNS) + _unknown(clocks, _CLOCK_COLUMNS)
    if missing:
        raise RuntimeError(f"the scale loader does not know NOT NULL columns {missing}")
    columns = {c: sql for c, sql in _COLUMNS.items() if c in disputes.columns}
    engine = make_engine(database_url)
    started = time.perf_counter()
    async with engine.begin() as conn:
        for lo in range(1, n + 1, 100_000):
            hi = min(lo + 99_999, n)
            await conn.execute(_insert("dispute", columns, lo, hi))
            await conn.execute(_insert("dispute_clock", _CLOCK_COLUMNS, lo, hi))
        await conn.execute(sa.text("ANALYZE dispute"))
        await conn.execute(sa.text("ANALYZE dispute_clock"))
    await engine.dispose()
    return time.perf_counter() - started
