"""Operator commands on mediation's rollups: check them against a recount, or rebuild them."""

from __future__ import annotations

from typing import Any

from services.mediation.service_layer.rollups import differences, rebuild
from shared.platform.db import make_engine, make_sessions


async def check_rollups(database_url: str) -> list[dict[str, Any]]:
    """Where the committee's rollups and a recount from the disputes disagree."""
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return await differences(session)
    finally:
        await engine.dispose()


async def rebuild_rollups(database_url: str) -> int:
    """Recount the rollups from the disputes (after a bulk load, or to repair them)."""
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return await rebuild(session)
    finally:
        await engine.dispose()
