"""The station register's API: an admin keeps it (create, change, close, import the district's
spreadsheet); staff read it, with closed stations; the committee reads the coverage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from services.dispatch.adapters.station_csv import read_rows
from services.dispatch.domain.errors import DispatchError, ImportRejected
from services.dispatch.domain.stations import STATION_ID, StationDraft
from services.dispatch.entrypoints.dependencies import ActorDep, ContextDep, FinderDep, RuntimeDep
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.entrypoints.station_schemas import (
    CoverageOut,
    ImportOut,
    RowErrorOut,
    StationIn,
    StationOut,
    TownCoverageOut,
)
from services.dispatch.service_layer import stations, views
from services.dispatch.service_layer.coverage import Coverage
from services.dispatch.service_layer.coverage import coverage as coverage_of
from services.dispatch.service_layer.nearest import StationFinder
from shared.messaging.uow import UnitOfWork
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.runtime import ServiceRuntime

StationId = Annotated[str, Path(min_length=1, max_length=64, pattern=STATION_ID)]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only an admin keeps the register"},
    404: {"description": "No such station"},
    409: {"description": "A station with the same name and address exists"},
    422: {"description": "A bad field (the body names it, in Chinese)"},
}
READERS = frozenset({"admin", "intake_officer", "committee", "mediator"})
MAX_IMPORT_BYTES = 5 * 1024 * 1024
T = TypeVar("T")


def _reader(actor: ActorDep) -> None:
    if actor.role not in READERS:
        raise HTTPException(403, f"a {actor.role} may not read the station register")


def _admin(actor: ActorDep) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin keeps the station register")


def _committee(actor: ActorDep) -> None:
    if actor.role not in ("committee", "admin"):
        raise HTTPException(403, "the coverage is the committee's and the district's")


def coverage_out(result: Coverage, towns: dict[str, str]) -> CoverageOut:
    features = [
        {
            "type": "Feature",
            "id": c.cell,
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[lng, lat] for lat, lng in [*c.boundary, c.boundary[0]]]],
            },
            "properties": {"cell": c.cell, "count": c.count, "at_night": c.at_night},
        }
        for c in result.cells
    ]
    return CoverageOut(
        days=result.days,
        mode=result.mode,
        radius_m=result.radius_m,
        reports=result.reports,
        covered=result.covered,
        share=round(result.covered / result.reports, 4) if result.reports else None,
        towns=[
            TownCoverageOut(
                town=t.town,
                town_name=towns.get(t.town, "未知镇街"),
                reports=t.reports,
                covered=t.covered,
                share=round(t.covered / t.reports, 4) if t.reports else None,
            )
            for t in result.towns
        ],
        counted="统计隐患报告和留有地点的纠纷（按提交位置与时间）；未留地点的纠纷未计入。",
        uncovered={"type": "FeatureCollection", "features": features},
    )


async def _change(
    runtime: ServiceRuntime, finder: StationFinder, fn: Callable[[UnitOfWork], Awaitable[T]]
) -> T:
    """Run `fn` in one transaction, then let the riders' register be read afresh."""
    try:
        async with runtime.uow() as uow:
            result = await fn(uow)
            await uow.commit()
    except ImportRejected:
        raise
    except DispatchError as exc:
        raise http_error(exc) from exc
    finder.forget()
    return result


router = APIRouter(prefix="/api/v1/stations", tags=["stations"], dependencies=AUTHENTICATED)


@router.get("", response_model=list[StationOut], dependencies=[Depends(_reader)])
async def list_stations(
    runtime: RuntimeDep,
    ctx: ContextDep,
    town: Annotated[str | None, Query(max_length=40)] = None,
    include_closed: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[StationOut]:
    """The register (staff), by town; closed stations on request."""
    async with runtime.sessions() as session:
        register = await views.stations(session)
    chosen = [
        s
        for s in register
        if (include_closed or s.status == "open") and (town is None or s.town == town)
    ]
    return [StationOut.of(s, ctx.district.towns) for s in chosen[offset : offset + limit]]


@router.get("/coverage", response_model=CoverageOut, dependencies=[Depends(_committee)])
async def coverage(
    runtime: RuntimeDep,
    ctx: ContextDep,
    finder: FinderDep,
    days: Annotated[int, Query(ge=1, le=366)] = 90,
    mode: Annotated[Literal["walk", "ebike"], Query()] = "ebike",
    resolution: Annotated[int, Query(ge=5, le=10)] = 8,
) -> CoverageOut:
    """15分钟服务圈 Share of recent reports within reach of an open station, by town, and
    the uncovered h3 cells (committee, admin)."""
    result = await coverage_of(
        runtime.sessions, ctx, finder, days=days, mode=mode, resolution=resolution
    )
    return coverage_out(result, ctx.district.towns)


@router.post(
    "",
    response_model=StationOut,
    status_code=201,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def create_station(
    body: StationIn, runtime: RuntimeDep, ctx: ContextDep, finder: FinderDep
) -> StationOut:
    """Add a station (admin)."""
    draft = StationDraft.model_validate(body.model_dump(exclude={"station_id"}))
    created = await _change(
        runtime, finder, lambda uow: stations.create_station(uow, draft, ctx, body.station_id)
    )
    return StationOut.of(created, ctx.district.towns)


@router.put(
    "/{station_id}",
    response_model=StationOut,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def update_station(
    station_id: StationId,
    body: StationDraft,
    runtime: RuntimeDep,
    ctx: ContextDep,
    finder: FinderDep,
) -> StationOut:
    """Change a station's details: hours, facilities, contact, place (admin)."""
    updated = await _change(
        runtime, finder, lambda uow: stations.update_station(uow, station_id, body, ctx)
    )
    return StationOut.of(updated, ctx.district.towns)


@router.post(
    "/{station_id}/close",
    response_model=StationOut,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def close_station(
    station_id: StationId, runtime: RuntimeDep, ctx: ContextDep, finder: FinderDep
) -> StationOut:
    """Close a station for good (admin); refused while duty is rostered there."""
    closed = await _change(
        runtime, finder, lambda uow: stations.close_station(uow, station_id, ctx)
    )
    return StationOut.of(closed, ctx.district.towns)


@router.post(
    "/import",
    response_model=ImportOut,
    responses={**ERRORS, 422: {"description": "Row errors: line, field, message"}},
    dependencies=[Depends(_admin)],
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_stations(
    request: Request, runtime: RuntimeDep, ctx: ContextDep, finder: FinderDep
) -> ImportOut | JSONResponse:
    """Import the district's spreadsheet (CSV with a header): every row or none (admin)."""
    data = await request.body()
    if len(data) > MAX_IMPORT_BYTES:
        raise HTTPException(413, "the file is larger than 5 MB")
    rows, errors = read_rows(data)
    try:
        report = await _change(
            runtime, finder, lambda uow: stations.import_stations(uow, rows, ctx, errors)
        )
    except ImportRejected as exc:
        shown = [RowErrorOut(line=n, field=f, message=m) for n, f, m in exc.errors]
        # The Problem body every error has: a summary, then each row's field and why.
        summary = f"导入未执行：{len(shown)} 处不合格 Nothing imported: {len(shown)} errors"
        body = {"detail": summary, "errors": [e.model_dump() for e in shown]}
        return JSONResponse(status_code=422, content=body)
    return ImportOut(created=report.created, updated=report.updated, unchanged=report.unchanged)
