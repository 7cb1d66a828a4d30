"""The station register (阵地地图) in the console: staff look stations up; an admin adds one,
imports the district's spreadsheet and closes a station for good; the committee sees where the
15-minute circle has holes (dispatch's /api/v1/stations and /coverage)."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.entrypoints import labels
from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import draw
from services.console.entrypoints.pages import COMMITTEE, Console
from services.console.entrypoints.session import Caller
from shared.contracts.glossary import codes

STATION_READERS = frozenset({"admin", "intake_officer", "committee", "mediator"})
ADMIN = frozenset({"admin"})
FIELDS = ("name", "kind", "town", "address", "latitude", "longitude", "opening_hours", "contact")


def station_body(form: dict[str, str], facilities: list[str]) -> dict[str, Any]:
    """The admin's form as dispatch's StationIn (numbers as numbers, blanks left to refuse)."""
    body: dict[str, Any] = {name: form.get(name, "").strip() for name in FIELDS}
    for name in ("latitude", "longitude"):
        with contextlib.suppress(ValueError):  # else dispatch names the field
            body[name] = float(body[name])
    body["facilities"] = facilities
    return body


def with_hours(station: dict[str, Any], hours: str) -> dict[str, Any]:
    """Dispatch's StationDraft of a station as it stands, with other opening hours."""
    keep = ("name", "kind", "town", "address", "latitude", "longitude", "facilities", "contact")
    return {k: station[k] for k in keep} | {
        "generated": bool(station.get("generated")),
        "opening_hours": hours.strip(),
    }


def uncovered_dots(coverage: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Each uncovered h3 cell as a dot at its centre, titled with its count."""
    dots = []
    for cell in coverage["uncovered"]["features"]:
        ring = cell["geometry"]["coordinates"][0][:-1]
        props = cell["properties"]
        words = (
            f"未覆盖报告 {props['count']} 件（夜间 {props['at_night']} 件）"
            if lang != "en"
            else f"{props['count']} uncovered reports ({props['at_night']} at night)"
        )
        dots.append(
            {
                "longitude": sum(p[0] for p in ring) / len(ring),
                "latitude": sum(p[1] for p in ring) / len(ring),
                "words": words,
                "overdue": props["count"] >= 3,
            }
        )
    return dots


router = APIRouter(prefix="/console", include_in_schema=False)


async def register(
    console: Console, request: Request, who: Caller, town: str, status: int = 200, **ctx: Any
) -> Response:
    rows = await console.backends.get(who, "dispatch", "/api/v1/stations", town=town, limit=2000)
    ctx = {"errors": {}, "form": {}, "picked": []} | ctx  # the add form reads these
    return console.render(
        request, "stations.html", who, status,
        stations=rows, town=town, towns=codes("town"), kinds=codes("station_kind"),
        facilities=codes("facility"), **ctx,
    )  # fmt: skip


@router.get("/stations")
async def stations(
    request: Request, console: ConsoleDep, town: Annotated[str, Query(max_length=40)] = ""
) -> Response:
    who = console.who(request, STATION_READERS)
    return await register(console, request, who, town)


@router.post("/stations")
async def add_station(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, ADMIN)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    body = station_body(form, [v for v in raw.getlist("facilities") if isinstance(v, str)])
    try:
        await console.backends.post(
            who, "dispatch", "/api/v1/stations", body, idempotency_key=form_key(raw)
        )
    except ServiceError as exc:
        return await register(
            console, request, who, "", exc.status if exc.status < 500 else 502,
            errors=exc.field_errors(who.lang), form=form, failed_action="add",
            picked=body["facilities"],
        )  # fmt: skip
    return RedirectResponse(f"/console/stations?town={body['town']}&added=1", 303)


@router.post("/stations/import")
async def import_stations(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, ADMIN)
    raw = await request.form()
    upload = raw.get("file")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        got = await console.backends.call(
            who, "dispatch", "POST", "/api/v1/stations/import", content=content,
            headers={"Content-Type": "text/csv"},
        )  # fmt: skip
    except ServiceError as exc:
        rows = exc.body.get("errors", []) if isinstance(exc.body, dict) else []
        return await register(
            console, request, who, "", exc.status if exc.status < 500 else 502,
            import_errors=rows or [{"message": labels.word("check_form", who.lang)}],
            failed_action="import",
        )  # fmt: skip
    done = got.json()
    return await register(console, request, who, "", imported=done)


@router.post("/stations/{station_id}/close")
async def close_station(request: Request, console: ConsoleDep, station_id: str) -> Response:
    who = console.who(request, ADMIN)
    try:
        await console.backends.post(
            who,
            "dispatch",
            f"/api/v1/stations/{station_id}/close",
            idempotency_key=form_key(await request.form()),
        )
    except ServiceError as exc:
        return await register(
            console, request, who, "", exc.status if exc.status < 500 else 502,
            errors=exc.field_errors(who.lang), failed_action=f"close-{station_id}",
        )  # fmt: skip
    return RedirectResponse("/console/stations", 303)


@router.post("/stations/{station_id}/hours")
async def change_hours(request: Request, console: ConsoleDep, station_id: str) -> Response:
    """An admin changes a station's opening hours (e.g. into the night, where the coverage
    view shows reports nobody's circle reaches when the station is closed)."""
    who = console.who(request, ADMIN)
    raw = await request.form()
    hours = raw.get("opening_hours")
    town = ""  # the form is offered on one town's register: back to it
    try:
        station = await console.backends.get(who, "dispatch", f"/stations/{station_id}.json")
        body = with_hours(station, hours if isinstance(hours, str) else "")
        town = body["town"]
        await console.backends.call(
            who, "dispatch", "PUT", f"/api/v1/stations/{station_id}", json=body
        )
    except ServiceError as exc:
        return await register(
            console, request, who, town, exc.status if exc.status < 500 else 502,
            errors=exc.field_errors(who.lang), failed_action=f"hours-{station_id}",
        )  # fmt: skip
    return RedirectResponse(f"/console/stations?town={body['town']}&hours=1", 303)


@router.get("/coverage")
async def coverage(
    request: Request,
    console: ConsoleDep,
    mode: Annotated[str, Query(pattern="^(walk|ebike)$")] = "ebike",
) -> Response:
    who = console.who(request, COMMITTEE)
    found = await console.backends.get(who, "dispatch", "/api/v1/stations/coverage", mode=mode)
    svg = draw(
        await console.areas(who),
        uncovered_dots(found, who.lang),
        title=labels.word("coverage", who.lang),
        label=lambda dot: str(dot["words"]),
    )
    return console.render(
        request, "coverage.html", who, coverage=found, svg_map=svg, mode=mode,
        mode_word=labels.word(mode, who.lang),
    )  # fmt: skip
