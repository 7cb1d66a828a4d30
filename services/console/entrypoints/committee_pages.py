"""The committee's pages: board by state, legal clocks, workload, pattern alerts, statistics."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints import labels
from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.charts import grouped_bars
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import COMMITTEE, Console, today_local
from services.console.entrypoints.session import Caller
from shared.contracts.glossary import term

DIMENSIONS = ("month", "dispute_type", "company", "town")
CHART_SERIES = ("filed", "agreed", "failed", "expired")


def ranked_clocks(
    overdue: list[dict[str, Any]], soon: list[dict[str, Any]], rest: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Overdue first, then due soon, then every other open clock; each once, with days left."""
    today, seen, out = today_local(), set(), []
    for flag, rows in (("overdue", overdue), ("due_soon", soon), ("", rest)):
        for row in rows:
            key = (row["case_id"], row["clock"])
            if key in seen:
                continue
            seen.add(key)
            due = row.get("due_on")
            left = (date.fromisoformat(due) - today).days if due else None
            out.append(row | {"flag": flag, "days_left": left})
    return out


router = APIRouter(prefix="/console", include_in_schema=False)


async def board_data(console: Console, who: Caller, state: str | None) -> dict[str, Any]:
    queues = await console.backends.get(who, "mediation", "/api/v1/committee/queues")
    disputes = await console.backends.get(
        who, "mediation", "/api/v1/disputes", state=state, limit=100
    )
    return {"queues": queues, "disputes": disputes, "state": state or ""}


@router.get("/board")
async def board(
    request: Request, console: ConsoleDep, state: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    who = console.who(request, COMMITTEE)
    data = await board_data(console, who, state)
    return console.render(request, "board.html", who, **data)


@router.get("/board/live")
async def board_live(
    request: Request, console: ConsoleDep, state: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    who = console.who(request, COMMITTEE)
    data = await board_data(console, who, state)
    return console.render(request, "board_live.html", who, **data)


@router.get("/clocks")
async def clocks(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    rows = ranked_clocks(
        await console.backends.get(who, "mediation", "/api/v1/committee/overdue"),
        await console.backends.get(who, "mediation", "/api/v1/committee/due-soon"),
        await console.backends.get(who, "mediation", "/api/v1/committee/clocks", limit=500),
    )
    unknown = await console.backends.get(who, "mediation", "/api/v1/committee/limitation-unknown")
    return console.render(request, "clocks.html", who, clocks=rows, unknown=unknown)


@router.get("/workload")
async def workload(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    data = await console.backends.get(who, "mediation", "/api/v1/committee/workload")
    return console.render(request, "workload.html", who, workload=data)


async def alerts_page(
    console: Console, request: Request, who: Caller, status: int = 200, **extra: Any
) -> Response:
    """Open alerts first, each with a form saying what was done; then the handled ones."""
    open_ = await console.backends.get(who, "mediation", "/api/v1/committee/alerts", status="open")
    handled = await console.backends.get(
        who, "mediation", "/api/v1/committee/alerts", status="closed"
    )
    return console.render(
        request, "alerts.html", who, status, alerts=open_, handled=handled[:50], **extra
    )


@router.get("/alerts")
async def alerts(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    return await alerts_page(console, request, who)


@router.post("/alerts/{alert_id}/close")
async def close_alert(request: Request, console: ConsoleDep, alert_id: uuid.UUID) -> Response:
    who = console.who(request, COMMITTEE)
    raw = await request.form()
    note = str(raw.get("note") or "").strip()
    if not note:
        message = "请写明已采取的措施" if who.lang != "en" else "Say what was done"
        return await alerts_page(
            console, request, who, 422, failed=str(alert_id), errors={"note": message}
        )
    path = f"/api/v1/committee/alerts/{alert_id}/close"
    try:
        await console.backends.post(
            who, "mediation", path, {"note": note}, idempotency_key=form_key(raw)
        )
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        return await alerts_page(
            console, request, who, status, failed=str(alert_id), errors=exc.field_errors(who.lang)
        )
    return RedirectResponse("/console/alerts?closed=1", 303)


@router.get("/statistics")
async def statistics(
    request: Request,
    console: ConsoleDep,
    by: Annotated[str, Query(pattern="^(month|dispute_type|company|town)$")] = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    who = console.who(request, COMMITTEE)
    year = year or today_local().year
    report = await console.backends.get(
        who, "mediation", "/api/v1/committee/statistics", by=by, year=year
    )
    return console.render(
        request,
        "statistics.html",
        who,
        report=report,
        by=by,
        year=year,
        dimensions=DIMENSIONS,
        this_month=today_local().month if year == today_local().year else 12,
        chart=_chart(report, by, who),
        row_labels=[_group_label(r, by, who) for r in report["rows"]],
        yoy_chart=_yoy_chart(report, who),
    )


@router.get("/statistics.csv")
async def statistics_csv(
    request: Request,
    console: ConsoleDep,
    by: Annotated[str, Query(pattern="^(month|dispute_type|company|town)$")] = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
) -> Response:
    who = console.who(request, COMMITTEE)
    params: dict[str, Any] = {"by": by, "year": year or today_local().year}
    if month:
        params["month"] = month  # the district's monthly report
    got = await console.backends.call(
        who, "mediation", "GET", "/api/v1/committee/statistics.csv", params=params
    )
    return Response(
        got.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": got.headers.get("content-disposition", "")},
    )


def _group_label(row: dict[str, Any], by: str, who: Caller) -> str:
    if by == "dispute_type":
        return labels.dispute_type(str(row["key"]), who.lang)
    if by == "month":
        return f"{row['key']}月" if who.lang == "zh" else f"M{row['key']}"
    if by == "town":  # a town's code in words; disputes with no town known apart
        return (
            term("town", str(row["key"]), who.lang)
            if row["key"]
            else labels.word("no_town", who.lang)
        )
    return str(row.get("label") or row["key"] or "—")


def _chart(report: dict[str, Any], by: str, who: Caller) -> str:
    rows = report["rows"]
    return grouped_bars(
        f"{labels.word('statistics', who.lang)} {report['year']}",
        [_group_label(r, by, who) for r in rows],
        [(labels.word(c, who.lang), [float(r[c]) for r in rows]) for c in CHART_SERIES],
    )


def _yoy_chart(report: dict[str, Any], who: Caller) -> str:
    rows = report["rows"]
    return grouped_bars(
        labels.word("yoy", who.lang),
        [_group_label(r, report["by"], who) for r in rows],
        [
            (f"{report['year']} {labels.word('filed', who.lang)}", [r["filed"] for r in rows]),
            (
                f"{report['year'] - 1} {labels.word('filed', who.lang)}",
                [r["previous_year"]["filed"] for r in rows],
            ),
        ],
    )
