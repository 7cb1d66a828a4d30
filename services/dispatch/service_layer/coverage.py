"""Where the 15-minute circle has holes: the share of recent reports that lay within reach of a
station open when they were filed, by town, and the h3 cells of the uncovered ones.

Today's network (its stations and hours) is laid over where and when riders reported, so a
station opened or an hour extended today shows at once. The reports are dispatch's hazards and
the disputes filed with a place (the runner's optional point); a dispute without one is not
counted (intake records no workplace or station for it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.coverage_engine import Cell, Reports, covered, uncovered_cells
from services.dispatch.adapters.tables import DisputePlace, Hazard
from services.dispatch.domain.stations import Station
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.nearest import StationFinder

UNKNOWN_TOWN = "unknown"


@dataclass(frozen=True)
class TownCoverage:
    town: str
    reports: int
    covered: int


@dataclass(frozen=True)
class Coverage:
    days: int
    mode: str
    radius_m: float
    reports: int
    covered: int
    towns: list[TownCoverage]
    cells: list[Cell]


async def read_reports(session: AsyncSession, since: datetime) -> Reports:
    """Every hazard, and every dispute filed with a place, since then: place, time, town."""
    hazard = Hazard.__table__  # type: ignore[attr-defined]
    dispute = DisputePlace.__table__  # type: ignore[attr-defined]
    stmt = sa.union_all(
        sa.select(
            hazard.c.latitude, hazard.c.longitude, hazard.c.filed_at, hazard.c.jurisdiction
        ).where(hazard.c.filed_at >= since),
        sa.select(
            dispute.c.latitude, dispute.c.longitude, dispute.c.filed_at, dispute.c.town
        ).where(dispute.c.filed_at >= since),
    )
    rows = (await session.execute(stmt)).all()
    return Reports(
        lat=np.array([r[0] for r in rows], dtype=float),
        lng=np.array([r[1] for r in rows], dtype=float),
        filed_s=np.array([int(r[2].timestamp()) for r in rows], dtype=np.int64),
        town=np.array([r[3] or UNKNOWN_TOWN for r in rows], dtype=object),
    )


def summarise(
    reports: Reports,
    stations: list[Station],
    ctx: Context,
    finder: StationFinder,
    mode: str,
    days: int,
    resolution: int,
) -> Coverage:
    radius = ctx.reach.circle_metres(mode)
    mask = covered(reports, stations, finder.plane, radius, ctx.calendar.is_public_holiday)
    towns = []
    for town in sorted(set(reports.town.tolist())):
        mine = reports.town == town
        towns.append(
            TownCoverage(town=town, reports=int(mine.sum()), covered=int(mask[mine].sum()))
        )
    return Coverage(
        days=days,
        mode=mode,
        radius_m=radius,
        reports=len(mask),
        covered=int(mask.sum()),
        towns=towns,
        cells=uncovered_cells(reports, mask, resolution, top=500),
    )


async def coverage(
    sessions: async_sessionmaker[AsyncSession],
    ctx: Context,
    finder: StationFinder,
    *,
    days: int = 90,
    mode: str = "ebike",
    resolution: int = 8,
) -> Coverage:
    """The coverage of the last `days` days' reports (computed off the event loop)."""
    since = ctx.clock.now() - timedelta(days=days)
    async with sessions() as session:
        reports = await read_reports(session, since)
    stations = (await finder.register()).index.stations
    return await asyncio.to_thread(
        summarise, reports, stations, ctx, finder, mode, days, resolution
    )
