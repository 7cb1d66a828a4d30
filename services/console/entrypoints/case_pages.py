"""One case, as each role may see it: parties, timeline, sessions, agreement, deliveries."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.pages import (
    CASE_READERS,
    COMMITTEE,
    Console,
    mask_name,
)
from services.console.entrypoints.session import Caller

DELIVERY_READERS = frozenset({"committee", "admin", "intake_officer"})


async def case_view(console: Console, who: Caller, case_id: uuid.UUID) -> dict[str, Any]:
    """Everything the case page shows, fetched with the caller's own rights."""
    api = console.backends
    hazard = dispute = None
    if who.role == "department":
        # Dispatch decides whether this hazard is the department's (403 otherwise).
        hazard = await api.get(who, "dispatch", f"/api/v1/hazards/{case_id}")
    case = await api.get(who, "intake", f"/api/v1/cases/{case_id}")
    if case["kind"] == "dispute" and who.role in COMMITTEE | {"intake_officer"}:
        dispute = await _maybe(api.get(who, "mediation", f"/api/v1/disputes/{case_id}"))
    if case["kind"] == "hazard" and hazard is None:
        hazard = await _maybe(api.get(who, "dispatch", f"/api/v1/hazards/{case_id}"))
    deliveries = []
    if who.role in DELIVERY_READERS:
        deliveries = await api.get(who, "notify", f"/api/v1/cases/{case_id}/deliveries")
    parties = case["parties"]
    if who.role == "department":
        parties = [p | {"name": mask_name(p["name"])} for p in parties if p["role"] != "respondent"]
    return {
        "case": case,
        "parties": parties,
        "timeline": list(reversed(case["timeline"])),
        "dispute": dispute,
        "hazard": hazard,
        "deliveries": deliveries,
    }


async def _maybe(call: Any) -> Any:
    """The other service may not know the case yet (its event is on the way)."""
    try:
        return await call
    except ServiceError as exc:
        if exc.status == 404:
            return None
        raise


def build_router(console: Console) -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)
    api = console.backends

    @router.get("/cases/{case_id}")
    async def case_page(request: Request, case_id: uuid.UUID) -> Response:
        who = console.who(request, CASE_READERS)
        view = await case_view(console, who, case_id)
        return console.render(request, "case.html", who, **view)

    @router.get("/cases/{case_id}/live")
    async def case_live(request: Request, case_id: uuid.UUID) -> Response:
        who = console.who(request, CASE_READERS)
        view = await case_view(console, who, case_id)
        return console.render(request, "case_live.html", who, **view)

    @router.get("/cases/{case_id}/agreement.pdf")
    async def agreement_pdf(request: Request, case_id: uuid.UUID) -> Response:
        who = console.who(request, COMMITTEE)
        got = await api.call(who, "mediation", "GET", f"/api/v1/disputes/{case_id}/agreement.pdf")
        return Response(
            got.content,
            media_type="application/pdf",
            headers={"Content-Disposition": got.headers.get("content-disposition", "")},
        )

    @router.post("/cases/{case_id}/accept")
    async def accept(request: Request, case_id: uuid.UUID) -> Response:
        who = console.who(request, COMMITTEE)
        await api.post(who, "mediation", f"/api/v1/disputes/{case_id}/accept")
        return RedirectResponse(f"/console/cases/{case_id}", 303)

    @router.post("/cases/{case_id}/reject")
    async def reject(
        request: Request, case_id: uuid.UUID, reason: Annotated[str, Form(max_length=1000)]
    ) -> Response:
        who = console.who(request, COMMITTEE)
        await api.post(who, "mediation", f"/api/v1/disputes/{case_id}/reject", {"reason": reason})
        return RedirectResponse(f"/console/cases/{case_id}", 303)

    return router
