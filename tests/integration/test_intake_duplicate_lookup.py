"""A new hazard's duplicate lookup reads the cases in its box, not every case of its category:
at a city's register size the lookup on the category index alone read tens of thousands of rows
per filing (docs/performance.md, section 17)."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy.dialects import postgresql

from services.intake.adapters.case_store import _OPEN_NEARBY
from services.intake.app import MIGRATIONS
from shared.platform.db import upgrade_async

pytestmark = pytest.mark.integration

CASES = 20_000
CATEGORIES = ("road_damage", "manhole_cover", "fire_lane_blocked", "streetlight")


def _rows_read(plan: dict[str, Any]) -> int:
    """Rows the plan's scans produced or removed, over every node."""
    own = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
    own += plan.get("Rows Removed by Index Recheck", 0)
    return int(own) + sum(_rows_read(child) for child in plan.get("Plans", []))


async def test_the_duplicate_lookup_reads_the_box_not_the_whole_category(
    new_pg_database: Callable[[], str],
) -> None:
    url = new_pg_database()
    await upgrade_async(MIGRATIONS, url)
    now = datetime.now(UTC)
    plain = url.replace("postgresql+asyncpg", "postgresql")
    rnd = random.Random(21)
    with psycopg.connect(plain) as conn:
        columns = (
            "id, kind, tracking_code, status, status_at, channel, title, description, category,"
            " urgency, address, details, created_at, updated_at, status_notes, latitude, longitude"
        )
        with conn.cursor().copy(f'COPY "case" ({columns}) FROM STDIN') as copy:
            for i in range(CASES):
                at = now - timedelta(days=rnd.uniform(0, 10))
                copy.write_row(
                    (uuid.uuid4(), "hazard", f"T{i:09d}", "dispatched", at, "open311", "坑洼")
                    + ("路面坑洼", rnd.choice(CATEGORIES), "normal", "", "{}", at, at, "")
                    + (30.96 + rnd.uniform(0, 0.3), 120.86 + rnd.uniform(0, 0.35))
                )
        conn.execute('ANALYZE "case"')
        conn.commit()
        # A box of about 500 m around a spot, as the lookup asks (services/intake/domain/geo.py).
        box = {
            "category": "road_damage",
            "since": now - timedelta(days=14),
            "min_lat": 31.100,
            "max_lat": 31.1045,
            "min_lng": 121.100,
            "max_lng": 121.1052,
        }
        expanded = _OPEN_NEARBY.compile(
            dialect=postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
        ).construct_expanded_state(box)
        statement, params = expanded.statement, expanded.parameters
        # The generic plan is the one a prepared statement (asyncpg's) settles on.
        conn.execute("SET plan_cache_mode = force_generic_plan")
        found = conn.execute(statement, params).fetchall()
        explained = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params).fetchone()
    assert explained is not None
    plan = explained[0] if isinstance(explained[0], list) else json.loads(explained[0])
    read = _rows_read(plan[0]["Plan"])
    # About a quarter of the cases are road damage (5,000); the box holds a handful of them.
    assert len(found) <= 10
    assert read <= 200, json.dumps(plan, ensure_ascii=False)
