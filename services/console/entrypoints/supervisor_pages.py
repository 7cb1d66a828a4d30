"""A supervisor's pages (督办, a town's or the district's): the hazards escalated to it, most
overdue first, with the chain of who missed which target; pressing the department (urge).

A supervisor is a department of the directory (kind "supervisor") and signs in with the
department role under its own id; dispatch decides which hazards it may read and press.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints import labels
from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.case_pages import case_view
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import draw, worded
from services.console.entrypoints.pages import DEPARTMENT, Console
from services.console.entrypoints.session import Caller
from services.console.entrypoints.supervision_view import chain, directory_names, supervising

SUPERVISION = "/api/v1/supervision"


router = APIRouter(prefix="/console", include_in_schema=False)


async def rows_of(console: Console, who: Caller) -> list[dict[str, Any]]:
    """Dispatch's order: open first, most overdue first; each with its chain."""
    rows: list[dict[str, Any]] = await console.backends.get(who, "dispatch", SUPERVISION, limit=200)
    names = await directory_names(console, who)
    for row in rows:
        full = await console.backends.get(who, "dispatch", f"/api/v1/hazards/{row['case_id']}")
        row["chain"] = chain(full, names)
        row["escalated"] = True
    return rows


@router.get("/supervision")
async def supervision(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, DEPARTMENT)
    rows = await rows_of(console, who)
    areas = await console.areas(who)
    towns = {h.get("jurisdiction") for h in rows}
    shown = [a for a in areas if a.code in towns] or areas
    title = labels.word("supervision_map", who.lang)
    svg = draw(shown, rows, title=title, label=worded(who.lang))
    return console.render(request, "supervision.html", who, hazards=rows, svg_map=svg)


@router.get("/supervision/live")
async def supervision_live(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, DEPARTMENT)
    return console.render(
        request, "supervision_live.html", who, hazards=await rows_of(console, who)
    )


@router.post("/cases/{case_id}/urge")
async def urge(
    request: Request,
    console: ConsoleDep,
    case_id: uuid.UUID,
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    who = console.who(request, DEPARTMENT)
    try:
        await console.backends.post(
            who,
            "dispatch",
            f"/api/v1/hazards/{case_id}/urge",
            {"note": note},
            idempotency_key=form_key(await request.form()),
        )
    except ServiceError as exc:
        view = await case_view(console, who, case_id)
        view |= await supervising(console, who, view)
        return console.render(
            request, "case.html", who, exc.status if exc.status < 500 else 502,
            action_errors=exc.field_errors(who.lang), failed_action="urge",
            action_form={"note": note}, **view,
        )  # fmt: skip
    return RedirectResponse(f"/console/cases/{case_id}?urged=1", 303)
