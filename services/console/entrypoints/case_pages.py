"""One case, as each role may see it: parties, timeline, sessions, agreement, deliveries."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints import labels, session_places
from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import draw, picker, worded
from services.console.entrypoints.pages import (
    CASE_READERS,
    COMMITTEE,
    MEDIATOR,
    OFFICER,
    Console,
    mask_name,
)
from services.console.entrypoints.session import Caller
from services.console.entrypoints.supervision_view import supervising
from shared.contracts.glossary import codes

DELIVERY_READERS = frozenset({"committee", "admin", "intake_officer"})


async def case_view(console: Console, who: Caller, case_id: uuid.UUID) -> dict[str, Any]:
    """Everything the case page shows, fetched with the caller's own rights."""
    api = console.backends
    hazard = dispute = None
    if who.role == "department":
        # Dispatch decides whether this hazard is the department's (403 otherwise).
        hazard = await api.get(who, "dispatch", f"/api/v1/hazards/{case_id}")
    case = await api.get(who, "intake", f"/api/v1/cases/{case_id}")
    if case["kind"] == "dispute" and who.role in COMMITTEE | {"intake_officer", "mediator"}:
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
        "photos": photos(case, hazard),
        "reporter_notes": reporter_notes(case),
        "location_map": await location_map(console, who, case),
    }


def photos(case: dict[str, Any], hazard: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The case's images, through the console (intake's files need the user's token)."""
    fix = (hazard or {}).get("resolution_photo_url") or ""
    return [
        {
            "src": f"/console/cases/{case['case_id']}/attachments/{a['attachment_id']}",
            "is_fix": bool(fix) and fix.endswith(str(a["attachment_id"])),
        }
        for a in case.get("attachments", [])
        if str(a.get("media_type", "")).startswith("image/")
    ]


def reporter_notes(case: dict[str, Any]) -> list[dict[str, Any]]:
    """What the reporter said, in their words: the report, then each later answer."""
    if case["kind"] != "hazard":
        return []
    notes = [{"at": case["created_at"], "text": case["description"]}]
    notes += [
        {"at": item["occurred_at"], "text": item["text_zh"], "text_en": item["text_en"]}
        for item in case["timeline"]
        # the reporter's own answers ("修好了吗？"), not what the system did on their behalf
        # (a merge, a notice, the points)
        if item.get("actor_role") == "reporter" and item["event_type"].startswith("reporter.")
    ]
    return notes


async def location_map(console: Console, who: Caller, case: dict[str, Any]) -> str:
    """The case's town with a dot where it is (drawn on the server, no tiles: works offline)."""
    if case.get("latitude") is None or case.get("longitude") is None:
        return ""
    areas = await console.areas(who)
    town = [a for a in areas if a.code == case.get("jurisdiction")] or areas
    dot = case | {"state": case["status"], "case_id": None}  # no link to the page it is on
    title = labels.word("location", who.lang)
    return draw(town, [dot], width=420, title=title, label=worded(who.lang))


async def mediation_extras(console: Console, who: Caller, view: dict[str, Any]) -> dict[str, Any]:
    """What the dispute's forms need beyond the case: the roster's mediators (committee)."""
    dispute = view.get("dispute") or {}
    extras: dict[str, Any] = {"mediators": [], "session_stations": [], "preferred_station": ""}
    if dispute and who.role in COMMITTEE | MEDIATOR | OFFICER:  # where a session can be held
        extras |= await session_places.for_session(console, who, view["case"].get("details") or {})
    if who.role not in COMMITTEE or not dispute:
        return extras
    roster = await console.backends.get(who, "mediation", "/api/v1/roster")
    return extras | {
        "mediators": [
            m["mediator_id"]
            for m in roster.get("mediators", [])
            if m.get("active", True) and m["mediator_id"] != dispute.get("mediator_id")
        ]
    }


async def _maybe(call: Any) -> Any:
    """The other service may not know the case yet (its event is on the way)."""
    try:
        return await call
    except ServiceError as exc:
        if exc.status == 404:
            return None
        raise


router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/cases/{case_id}")
async def case_page(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    who = console.who(request, CASE_READERS)
    view = await case_view(console, who, case_id)
    view |= await mediation_extras(console, who, view)
    view |= await supervising(console, who, view)
    if who.role in OFFICER:  # the correction form's choices and map
        view |= {
            "categories": codes("category"),
            "picker_svg": picker(await console.areas(who)),
        }
    return console.render(request, "case.html", who, **view)


@router.get("/cases/{case_id}/live")
async def case_live(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    who = console.who(request, CASE_READERS)
    view = await case_view(console, who, case_id)
    return console.render(request, "case_live.html", who, **view)


@router.get("/cases/{case_id}/attachments/{attachment_id}")
async def attachment(
    request: Request, console: ConsoleDep, case_id: uuid.UUID, attachment_id: str
) -> Response:
    who = console.who(request, CASE_READERS)
    path = f"/api/v1/cases/{case_id}/attachments/{attachment_id}"
    got = await console.backends.call(who, "intake", "GET", path)
    return Response(
        got.content,
        media_type=got.headers.get("content-type", "application/octet-stream"),
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.get("/cases/{case_id}/agreement.pdf")
async def agreement_pdf(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    who = console.who(request, COMMITTEE | MEDIATOR)
    got = await console.backends.call(
        who, "mediation", "GET", f"/api/v1/disputes/{case_id}/agreement.pdf"
    )
    return Response(
        got.content,
        media_type="application/pdf",
        headers={"Content-Disposition": got.headers.get("content-disposition", "")},
    )


@router.post("/cases/{case_id}/accept")
async def accept(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    who = console.who(request, COMMITTEE)
    key = form_key(await request.form())
    await console.backends.post(
        who, "mediation", f"/api/v1/disputes/{case_id}/accept", idempotency_key=key
    )
    return RedirectResponse(f"/console/cases/{case_id}", 303)


@router.post("/cases/{case_id}/reject")
async def reject(
    request: Request,
    console: ConsoleDep,
    case_id: uuid.UUID,
    reason: Annotated[str, Form(max_length=1000)],
) -> Response:
    who = console.who(request, COMMITTEE)
    key = form_key(await request.form())
    path = f"/api/v1/disputes/{case_id}/reject"
    await console.backends.post(who, "mediation", path, {"reason": reason}, idempotency_key=key)
    return RedirectResponse(f"/console/cases/{case_id}", 303)
