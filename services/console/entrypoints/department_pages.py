"""A department's pages: its hazard queue (most overdue first) with a map, the compound reports
it supports (配合处理, worked by their lead body), and the work on one hazard (acknowledge,
progress, resolve with a photo, not ours)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.entrypoints import labels
from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.case_pages import case_view
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import draw, worded
from services.console.entrypoints.pages import DEPARTMENT, Console
from services.console.entrypoints.session import Caller

# The console's action names → dispatch's API paths.
ACTIONS = {
    "acknowledge": "acknowledge",
    "progress": "progress",
    "resolve": "resolve",
    "decline": "decline",
}


def most_overdue_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue first, the longest overdue at the top; then the nearest target; none last."""
    return sorted(rows, key=lambda h: (not h.get("overdue"), h.get("next_due") or "9999"))


router = APIRouter(prefix="/console", include_in_schema=False)


async def queue_rows(console: Console, who: Caller) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await console.backends.get(
        who, "dispatch", "/api/v1/queue", limit=200
    )
    return most_overdue_first(rows)


async def support_rows(console: Console, who: Caller) -> list[dict[str, Any]]:
    """The compound reports it supports: read here, worked by the lead body named."""
    rows: list[dict[str, Any]] = await console.backends.get(
        who, "dispatch", "/api/v1/queue/support", limit=200
    )
    return most_overdue_first(rows)


@router.get("/queue")
async def queue(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, DEPARTMENT)
    rows = await queue_rows(console, who)
    areas = await console.areas(who)
    mine = {h.get("jurisdiction") for h in rows}
    shown = [a for a in areas if a.code in mine] or areas
    svg = draw(shown, rows, title=labels.word("my_map", who.lang), label=worded(who.lang))
    return console.render(
        request, "queue.html", who, hazards=rows, supporting=await support_rows(console, who),
        svg_map=svg,
    )  # fmt: skip


@router.get("/queue/live")
async def queue_live(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, DEPARTMENT)
    rows = await queue_rows(console, who)
    return console.render(
        request, "queue_live.html", who, hazards=rows, supporting=await support_rows(console, who)
    )


@router.get("/cases/{case_id}/hazard/actions")
async def actions(
    request: Request, console: ConsoleDep, case_id: uuid.UUID, seen: str = ""
) -> Response:
    """The action forms again, only when the hazard's state moved (204 otherwise: htmx
    leaves the forms, and whatever the user is typing, alone)."""
    who = console.who(request, DEPARTMENT)
    hazard = await console.backends.get(who, "dispatch", f"/api/v1/hazards/{case_id}")
    if hazard["state"] == seen:
        return Response(status_code=204)
    case = {"case_id": str(case_id)}
    return console.render(request, "case_hazard.html", who, hazard=hazard, case=case)


async def photo_url(console: Console, who: Caller, case_id: uuid.UUID, photo: Any) -> str | None:
    # request.form() yields Starlette's UploadFile (FastAPI's is a subclass of it).
    if not isinstance(photo, UploadFile) or not photo.filename:
        return None
    content = await photo.read()
    if not content:
        return None
    files = {"file": (photo.filename, content, photo.content_type or "image/jpeg")}
    got = await console.backends.call(
        who, "intake", "POST", f"/api/v1/cases/{case_id}/attachments", files=files
    )
    return console.backends.urls["intake"].rstrip("/") + str(got.json()["url"])


async def body_of(console: Console, who: Caller, case_id: uuid.UUID, action: str, raw: Any) -> Any:
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    if action == "progress":
        return {"note": form.get("note", "")}
    if action == "resolve":
        body: dict[str, Any] = {"note": form.get("note", "")}
        url = await photo_url(console, who, case_id, raw.get("photo"))
        if url:
            body["photo_url"] = url
        return body
    if action == "decline":
        return {
            "reason": form.get("reason", ""),
            "department_id": form.get("department_id") or None,
        }
    return None


@router.post("/cases/{case_id}/hazard/{action}")
async def act(request: Request, console: ConsoleDep, case_id: uuid.UUID, action: str) -> Response:
    who = console.who(request, DEPARTMENT)
    if action not in ACTIONS:
        return Response(status_code=404)
    raw = await request.form()
    try:
        body = await body_of(console, who, case_id, action, raw)
        path = f"/api/v1/hazards/{case_id}/{ACTIONS[action]}"
        await console.backends.post(who, "dispatch", path, body, idempotency_key=form_key(raw))
    except ServiceError as exc:
        view = await case_view(console, who, case_id)
        return console.render(
            request, "case.html", who, exc.status if exc.status < 500 else 502,
            action_errors=exc.field_errors(who.lang), failed_action=action,
            action_form={k: v for k, v in raw.items() if isinstance(v, str)}, **view,
        )  # fmt: skip
    if action == "decline":
        return RedirectResponse("/console/queue", 303)
    return RedirectResponse(f"/console/cases/{case_id}", 303)
