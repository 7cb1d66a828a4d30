"""The committee's configuration of mediation: the duty roster and its shifts, the calendar years.

Both are mediation's (GET/POST /api/v1/roster, /roster/shifts, GET/PUT /api/v1/calendar): the
console shows them in words and sends the forms on; a refusal is shown by its form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import COMMITTEE, Console, today_local
from services.console.entrypoints.session import Caller

WEEKDAYS = (
    (1, "周一", "Mon"),
    (2, "周二", "Tue"),
    (3, "周三", "Wed"),
    (4, "周四", "Thu"),
    (5, "周五", "Fri"),
    (6, "周六", "Sat"),
    (7, "周日", "Sun"),
)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def weekday_words(days: list[int], lang: str) -> str:
    """ISO weekdays as people name them; none means every day."""
    if not days:
        return "每天" if lang != "en" else "Every day"
    names = {n: (en if lang == "en" else zh) for n, zh, en in WEEKDAYS}
    return (", " if lang == "en" else "、").join(names[d] for d in days if d in names)


def calendar_source(source: str, lang: str) -> str:
    """Where a year's working days come from, in words (the codes are mediation's labels)."""
    en = lang == "en"
    if source.startswith("weekend-fallback"):
        return "Not loaded: Monday to Friday assumed" if en else "未载入官方安排，按周一至周五推算"
    if source.startswith("api:"):
        text = source.removeprefix("api:")
        return (f"Loaded by the committee: {text}") if en else f"调委会载入：{text}"
    if source.startswith("chinese-calendar"):
        return "Built in (State Council arrangement)" if en else "系统内置（国务院节假日安排）"
    return source


def shift_body(form: Mapping[str, str], weekdays: list[str]) -> dict[str, Any]:
    """The add-shift form as mediation's Shift (it checks dates, times and the body)."""
    body: dict[str, Any] = {
        "body_id": form.get("body_id", ""),
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "note": form.get("note", "").strip(),
        "weekdays": sorted({int(d) for d in weekdays if d.isdigit()}),
    }
    for name in ("from_time", "to_time", "station_id"):
        if form.get(name, "").strip():
            body[name] = form[name].strip()
    return body


def days_of(text: str) -> list[str]:
    """Dates typed one per line, or separated by commas or spaces."""
    return DAY.findall(text)


def calendar_body(year: int, form: Mapping[str, str]) -> dict[str, Any]:
    return {
        "year": year,
        "holidays": days_of(form.get("holidays", "")),
        "workdays": days_of(form.get("workdays", "")),
        "source": form.get("source", "").strip() or "未注明文件",  # shown as it is
    }


router = APIRouter(prefix="/console", include_in_schema=False)


async def roster_page(
    console: Console, request: Request, who: Caller, status: int = 200, **extra: Any
) -> Response:
    roster = await console.backends.get(who, "mediation", "/api/v1/roster")
    duty = await console.backends.get(who, "mediation", "/api/v1/roster/on-duty")
    return console.render(
        request, "roster.html", who, status,
        roster=roster, on_duty=duty["bodies"], weekdays=WEEKDAYS,
        stations=await station_names(console, who, {s["station_id"] for s in roster["shifts"]}),
        legal_stations=await legal_stations(console, who),
        weekday_words=lambda days: weekday_words(days, who.lang),
        errors=extra.pop("errors", {}), form=extra.pop("form", {}), **extra,
    )  # fmt: skip


async def station_names(console: Console, who: Caller, ids: set[str | None]) -> dict[str, str]:
    """A shift's station by its name (dispatch's public register), not its id."""
    names: dict[str, str] = {}
    for station_id in sorted(i for i in ids if i):
        try:
            got = await console.backends.get(who, "dispatch", f"/stations/{station_id}.json")
        except ServiceError:
            continue  # closed or gone: the page says so
        names[station_id] = str(got.get("name") or "")
    return names


async def legal_stations(console: Console, who: Caller) -> list[dict[str, str]]:
    """The open stations with legal help, by town: where a shift can seat a body."""
    try:
        rows = await console.backends.get(who, "dispatch", "/api/v1/stations", limit=2000)
    except ServiceError:
        return []
    return sorted(
        (
            {"station_id": r["station_id"], "name": r["name"], "town": r["town_name"]}
            for r in rows
            if "legal_help" in r.get("facilities", []) and r.get("status", "open") == "open"
        ),
        key=lambda r: (r["town"], r["name"]),
    )


@router.get("/roster")
async def roster(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    return await roster_page(console, request, who)


@router.post("/roster/shifts")
async def add_shift(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    weekdays = [v for v in raw.getlist("weekdays") if isinstance(v, str)]
    try:
        await console.backends.post(
            who,
            "mediation",
            "/api/v1/roster/shifts",
            shift_body(form, weekdays),
            idempotency_key=form_key(raw),
        )
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        return await roster_page(
            console, request, who, status, errors=exc.field_errors(who.lang), form=form
        )
    return RedirectResponse("/console/roster?added=1#shifts", 303)


async def calendar_page(
    console: Console, request: Request, who: Caller, status: int = 200, **extra: Any
) -> Response:
    known = await console.backends.get(who, "mediation", "/api/v1/calendar")
    years = [
        {"year": int(y), "source": calendar_source(str(src), who.lang)}
        for y, src in sorted(known["years"].items(), key=lambda kv: int(kv[0]))
    ]
    this_year = today_local().year
    missing = [y for y in (this_year, this_year + 1) if y not in {r["year"] for r in years}]
    return console.render(
        request, "calendar.html", who, status,
        years=years, missing=missing, fallback=calendar_source("weekend-fallback", who.lang),
        errors=extra.pop("errors", {}), form=extra.pop("form", {}), **extra,
    )  # fmt: skip


@router.get("/calendar")
async def calendar(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    return await calendar_page(console, request, who)


@router.post("/calendar")
async def load_year(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    year = form.get("year", "").strip()
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        message = "请填写年份（2000至2100）" if who.lang != "en" else "Year: 2000 to 2100"
        return await calendar_page(console, request, who, 422, errors={"year": message}, form=form)
    body = calendar_body(int(year), form)
    try:
        await console.backends.call(who, "mediation", "PUT", f"/api/v1/calendar/{year}", json=body)
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        errors = exc.field_errors(who.lang)
        return await calendar_page(console, request, who, status, errors=errors, form=form)
    return RedirectResponse(f"/console/calendar?loaded={year}", 303)
