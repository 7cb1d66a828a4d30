"""The benchmark's bulk load: N disputes straight into mediation's database (bypassing the
service, so the rollups must be rebuilt after it)."""

from __future__ import annotations

import time

import sqlalchemy as sa

from services.mediation.adapters.tables import Dispute
from shared.db import make_engine

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
