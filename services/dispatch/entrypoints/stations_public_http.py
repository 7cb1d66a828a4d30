"""The riders' station page and feed, served without a login (shared/platform/auth/public.py):
a map and
list in Chinese, "near me", each station's hours, facilities and duty days; the same as GeoJSON.
No personal data: a station's contact is its public phone, duty names a body, never a person."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.dispatch.domain.duty import spells
from services.dispatch.domain.errors import InvalidStation
from services.dispatch.domain.stations import FACILITIES, STATION_ID, Station
from services.dispatch.entrypoints.dependencies import ContextDep, FinderDep, RuntimeDep
from services.dispatch.entrypoints.station_schemas import DutyOut, NearestOut, StationOut
from services.dispatch.service_layer import views
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.nearest import Found
from shared.platform.error_docs import JSON_PROBLEM

# A page's error: HTML for a person, the Problem body for a refused parameter.
_HTML: dict[str, Any] = {"content": {"text/html": {"schema": {"type": "string"}}, **JSON_PROBLEM}}

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAP_WIDTH = 600
Lat = Annotated[float | None, Query(ge=-90, le=90)]
Lng = Annotated[float | None, Query(ge=-180, le=180)]
Facility = Annotated[str | None, Query(max_length=40)]


def _distance(metres: float) -> str:
    return f"{metres / 1000:.1f} 公里" if metres >= 1000 else f"{round(metres, -1):.0f} 米"


def nearest_out(found: Found, towns: dict[str, str]) -> NearestOut:
    return NearestOut(
        station=StationOut.of(found.station, towns),
        distance_m=round(found.metres),
        walk_minutes=found.walk_minutes,
        ebike_minutes=found.ebike_minutes,
        open_now=found.open_now,
        legal_help_now=found.legal_help_now,
        next_duty=DutyOut.of(found.next_duty) if found.next_duty else None,
    )


def _feature(s: Station, towns: dict[str, str]) -> dict[str, Any]:
    props = StationOut.of(s, towns).model_dump(exclude={"latitude", "longitude"})
    return {
        "type": "Feature",
        "id": s.station_id,
        "geometry": {"type": "Point", "coordinates": [s.longitude, s.latitude]},
        "properties": props,
    }


ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))

router = APIRouter(tags=["stations (public)"])


def map_of(
    ctx: Context, stations: list[Station], here: tuple[float, float] | None
) -> dict[str, Any]:
    """An SVG plot of the stations over the district, or zoomed to "near me" and its finds."""
    box = _bounds(stations, here) if here else ctx.district.bbox
    min_lng, min_lat, max_lng, max_lat = box
    height = round(MAP_WIDTH * (max_lat - min_lat) / ((max_lng - min_lng) * 0.856))

    def xy(lat: float, lng: float) -> dict[str, float]:
        return {
            "x": round((lng - min_lng) / (max_lng - min_lng) * MAP_WIDTH, 1),
            "y": round((max_lat - lat) / (max_lat - min_lat) * height, 1),
        }

    points = [
        {
            **xy(s.latitude, s.longitude),
            "station_id": s.station_id,
            "name": s.name,
            "named": not s.generated,
            "legal": "legal_help" in s.facilities,
        }
        for s in stations
    ]
    labels = [
        {**xy(lat, lng), "name": ctx.district.towns[code]}
        for code, (lat, lng) in ctx.district.centres.items()
        if min_lat <= lat <= max_lat and min_lng <= lng <= max_lng
    ]
    return {
        "width": MAP_WIDTH,
        "height": height,
        "points": points,
        "towns": labels,
        "here": xy(*here) if here else None,
    }


@router.get("/stations/nearest.json", response_model=list[NearestOut])
async def nearest(
    lat: Annotated[float, Query(ge=-90, le=90)],
    lng: Annotated[float, Query(ge=-180, le=180)],
    ctx: ContextDep,
    finder: FinderDep,
    facility: Facility = None,
    open_now: bool = False,
    legal_help_now: bool = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[NearestOut]:
    """附近的阵地 The stations nearest a point, with distance and walking / e-bike minutes."""
    try:
        found = await finder.nearest(
            lat,
            lng,
            facility=facility,
            open_now=open_now,
            legal_help_now=legal_help_now,
            limit=limit,
        )
    except InvalidStation as exc:
        raise HTTPException(422, {"field": exc.field, "message": str(exc)}) from exc
    return [nearest_out(f, ctx.district.towns) for f in found]


@router.get(
    "/stations/{station_id}.json",
    response_model=StationOut,
    responses={404: {"description": "No such station"}},
)
async def station_json(
    station_id: Annotated[str, PathParam(min_length=1, max_length=64, pattern=STATION_ID)],
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> StationOut:
    """One station (open or closed for good), e.g. for a session's place."""
    async with runtime.sessions() as session:
        station = await views.station(session, station_id)
    if station is None:
        raise HTTPException(404, "没有这个阵地")
    return StationOut.of(station, ctx.district.towns)


@router.get(
    "/stations.geojson",
    responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}},
)
async def geojson(ctx: ContextDep, finder: FinderDep) -> JSONResponse:
    """The open stations as GeoJSON (RFC 7946) for other apps."""
    register = await finder.register()
    features = [_feature(s, ctx.district.towns) for s in register.index.stations]
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        media_type="application/geo+json",
    )


@router.get("/stations", response_class=HTMLResponse)
async def page(
    lat: Lat = None,
    lng: Lng = None,
    town: Annotated[str | None, Query(max_length=40)] = None,
    facility: Facility = None,
    open_now: bool = False,
    legal_help_now: bool = False,
    *,
    ctx: ContextDep,
    finder: FinderDep,
) -> HTMLResponse:
    """骑手服务阵地地图 The riders' page: map, list and "near me" (zh-CN, phone-sized)."""
    register = await finder.register()
    towns = ctx.district.towns
    now = ctx.local_now()
    facility = facility or None
    town = town if town in towns else None
    error: str | None = None
    items: list[NearestOut] = []
    heading = ""
    here = (lat, lng) if lat is not None and lng is not None else None
    if here:
        try:
            found = await finder.nearest(
                *here,
                facility=facility,
                open_now=open_now,
                legal_help_now=legal_help_now,
                limit=20,
            )
            items = [nearest_out(f, towns) for f in found]
            heading = "离我最近的阵地"
        except InvalidStation as exc:
            error, here = str(exc), None
    if not here:
        everything = register.index.stations
        chosen = [
            s
            for s in everything
            if (s.town == town if town else not s.generated)
            and (facility is None or facility in s.facilities)
        ]
        described = [finder.describe(register, s, 0, now) for s in chosen]
        described = [
            d
            for d in described
            if (not open_now or d.open_now) and (not legal_help_now or d.legal_help_now)
        ]
        items = [nearest_out(d, towns) for d in described[:200]]
        heading = f"{towns[town]}的阵地" if town else "重点阵地"
    if here:
        on_map = _stations_of(items, register.index.stations)
    else:
        on_map = [s for s in register.index.stations if not town or s.town == town]
    html = ENV.get_template("stations.html").render(
        total=len(register.index),
        towns=towns,
        facilities=FACILITIES,
        lat=lat if here else None,
        lng=lng if here else None,
        town=town,
        facility=facility,
        open_now=open_now,
        legal_help_now=legal_help_now,
        error=error,
        heading=heading,
        items=[_view(i, here is not None) for i in items],
        map=map_of(ctx, on_map, here),
    )
    return HTMLResponse(html)


@router.get(
    "/stations/{station_id}",
    response_class=HTMLResponse,
    responses={404: {"description": "没有这个阵地 No such open station", **_HTML}},
)
async def station_page(
    station_id: Annotated[str, PathParam(min_length=1, max_length=64, pattern=STATION_ID)],
    ctx: ContextDep,
    finder: FinderDep,
) -> HTMLResponse:
    """一个阵地 One station: hours, facilities, who is on duty today and in the coming week."""
    register = await finder.register()
    station = next((s for s in register.index.stations if s.station_id == station_id), None)
    if station is None:
        return HTMLResponse(
            "<!doctype html><html lang='zh-CN'><meta charset='utf-8'>"
            "<title>没有这个阵地</title><p>没有这个阵地，或它已关闭。"
            "<a href='/stations'>返回阵地地图</a></p></html>",
            status_code=404,
        )
    now = ctx.local_now()
    duties = register.duties.get(station_id, [])
    week = spells(duties, now.date() + timedelta(days=1), 7, now.tzinfo)
    html = ENV.get_template("station.html").render(
        s=StationOut.of(station, ctx.district.towns),
        open_now=station.hours.is_open(now, ctx.calendar.is_public_holiday),
        legal_help_now=any(d.covers(now) for d in duties),
        today=[DutyOut.of(x) for x in spells(duties, now.date(), 1, now.tzinfo)],
        week=[DutyOut.of(x) for x in week],
    )
    return HTMLResponse(html)


def _bounds(
    stations: list[Station], here: tuple[float, float]
) -> tuple[float, float, float, float]:
    lats = [here[0], *(s.latitude for s in stations)]
    lngs = [here[1], *(s.longitude for s in stations)]
    pad_lat = max((max(lats) - min(lats)) * 0.15, 0.004)
    pad_lng = max((max(lngs) - min(lngs)) * 0.15, 0.005)
    return min(lngs) - pad_lng, min(lats) - pad_lat, max(lngs) + pad_lng, max(lats) + pad_lat


def _stations_of(items: list[NearestOut], stations: list[Station]) -> list[Station]:
    wanted = {i.station.station_id for i in items}
    return [s for s in stations if s.station_id in wanted]


def _view(item: NearestOut, with_distance: bool) -> dict[str, Any]:
    return {
        "station": item.station,
        "distance_m": item.distance_m if with_distance else None,
        "distance_text": _distance(item.distance_m),
        "walk_minutes": item.walk_minutes,
        "ebike_minutes": item.ebike_minutes,
        "open_now": item.open_now,
        "legal_help_now": item.legal_help_now,
        "next_duty": item.next_duty,
    }
