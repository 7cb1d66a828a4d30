"""A department's pages: its hazard queue (overdue first) and the work on one hazard."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.case_pages import case_view
from services.console.entrypoints.pages import DEPARTMENT, Console
from services.console.entrypoints.session import Caller

ACTIONS = ("acknowledge", "progress", "resolve", "decline")


def build_router(console: Console) -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)
    api = console.backends

    async def queue_rows(who: Caller) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await api.get(who, "dispatch", "/api/v1/queue", limit=200)
        # Dispatch orders by the next target; overdue ones go first whatever their target.
        return sorted(rows, key=lambda h: not h.get("overdue"))

    @router.get("/queue")
    async def queue(request: Request) -> Response:
        who = console.who(request, DEPARTMENT)
        return console.render(request, "queue.html", who, hazards=await queue_rows(who))

    @router.get("/queue/live")
    async def queue_live(request: Request) -> Response:
        who = console.who(request, DEPARTMENT)
        rows = await queue_rows(who)
        return console.render(request, "queue_live.html", who, hazards=rows)

    async def photo_url(who: Caller, case_id: uuid.UUID, photo: Any) -> str | None:
        if not isinstance(photo, UploadFile) or not photo.filename:
            return None
        content = await photo.read()
        files = {"file": (photo.filename, content, photo.content_type or "image/jpeg")}
        got = await api.call(
            who, "intake", "POST", f"/api/v1/cases/{case_id}/attachments", files=files
        )
        return console.backends.urls["intake"].rstrip("/") + str(got.json()["url"])

    @router.post("/cases/{case_id}/hazard/{action}")
    async def act(request: Request, case_id: uuid.UUID, action: str) -> Response:
        who = console.who(request, DEPARTMENT)
        if action not in ACTIONS:
            return Response(status_code=404)
        raw = await request.form()
        form = {k: v for k, v in raw.items() if isinstance(v, str)}
        body: dict[str, Any] | None = None
        try:
            if action == "progress":
                body = {"note": form.get("note", "")}
            elif action == "resolve":
                body = {"note": form.get("note", "")}
                url = await photo_url(who, case_id, raw.get("photo"))
                if url:
                    body["photo_url"] = url
            elif action == "decline":
                body = {
                    "reason": form.get("reason", ""),
                    "department_id": form.get("department_id") or None,
                }
            await api.post(who, "dispatch", f"/api/v1/hazards/{case_id}/{action}", body)
        except ServiceError as exc:
            view = await case_view(console, who, case_id)
            return console.render(
                request, "case.html", who, exc.status if exc.status < 500 else 502,
                action_errors=exc.field_errors(), failed_action=action, **view,
            )  # fmt: skip
        if action == "decline":
            return RedirectResponse("/console/queue", 303)
        return RedirectResponse(f"/console/cases/{case_id}", 303)

    return router
