"""The committee's pages for "规范一片" (#20): industry consultations opened from a pattern
alert (participants, sessions, the agreed rule change, the outcome, and the pattern's disputes
before and after it side by side) and the compound register with its reports."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import COMMITTEE, Console
from services.console.entrypoints.session import Caller
from shared.contracts.glossary import codes

SIDES = ("company_hq", "partner", "rider_representative", "committee", "government", "union")
MAX_PARTICIPANTS = 8


def participants_of(form: dict[str, str]) -> list[dict[str, str]]:
    """Rows `p{n}_name`, `p{n}_organisation`, `p{n}_side` of the form; empty rows left out."""
    rows = []
    for n in range(MAX_PARTICIPANTS):
        name = form.get(f"p{n}_name", "").strip()
        organisation = form.get(f"p{n}_organisation", "").strip()
        if name or organisation:
            rows.append(
                {"name": name, "organisation": organisation, "side": form.get(f"p{n}_side", "")}
            )
    return rows


def names_of(text: str) -> list[str]:
    """Names separated by 、 or commas, as people write a list."""
    return [n.strip() for n in text.replace("，", "、").replace(",", "、").split("、") if n.strip()]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def side_by_side(effect: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the before/after table: the n-th month before the change beside the n-th after."""
    before, after = effect["before"]["months"], effect["after"]["months"]
    return [
        {
            "before": before[i] if i < len(before) else None,
            "after": after[i] if i < len(after) else None,
        }
        for i in range(max(len(before), len(after)))
    ]


router = APIRouter(prefix="/console", include_in_schema=False)


def form_of(raw: Any) -> dict[str, str]:
    return {k: v for k, v in raw.items() if isinstance(v, str)}


async def list_page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    ctx = {"form": {}, "errors": {}} | ctx
    rows = await console.backends.get(who, "mediation", "/api/v1/consultations")
    alerts = await console.backends.get(who, "mediation", "/api/v1/committee/alerts")
    return console.render(
        request, "consultations.html", who, status,
        consultations=rows, alerts=alerts, sides=SIDES, dispute_types=codes("dispute_type"),
        alert_id=request.query_params.get("alert_id", ""), **ctx,
    )  # fmt: skip


@router.get("/consultations")
async def consultations(request: Request, console: ConsoleDep) -> Response:
    return await list_page(console, request, console.who(request, COMMITTEE))


@router.post("/consultations")
async def open_consultation(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    form = form_of(await request.form())
    body: dict[str, Any] = {
        "title": form.get("title", ""),
        "participants": participants_of(form),
    }
    if form.get("alert_id"):
        body["alert_id"] = form["alert_id"]
    else:
        body["company"] = form.get("company") or None
        body["dispute_type"] = form.get("dispute_type") or None
    try:
        made = await console.backends.post(
            who,
            "mediation",
            "/api/v1/consultations",
            body,
            idempotency_key=form_key(await request.form()),
        )
    except ServiceError as exc:
        errors = exc.field_errors(who.lang)
        status = exc.status if exc.status < 500 else 502
        return await list_page(console, request, who, status, errors=errors, form=form)
    return RedirectResponse(f"/console/consultations/{made['id']}", 303)


async def detail_page(
    console: Console,
    request: Request,
    who: Caller,
    consultation_id: uuid.UUID,
    status: int = 200,
    **ctx: Any,
) -> Response:
    ctx = {"form": {}, "errors": {}, "failed": ""} | ctx
    base = f"/api/v1/consultations/{consultation_id}"
    row = await console.backends.get(who, "mediation", base)
    effect = await console.backends.get(who, "mediation", f"{base}/effect", before=6, after=6)
    return console.render(
        request, "consultation.html", who, status,
        c=row, effect=effect, rows=side_by_side(effect),
        outcomes=codes("consultation_outcome"), **ctx,
    )  # fmt: skip


@router.get("/consultations/{consultation_id}")
async def consultation(
    request: Request, console: ConsoleDep, consultation_id: uuid.UUID
) -> Response:
    return await detail_page(console, request, console.who(request, COMMITTEE), consultation_id)


@router.post("/consultations/{consultation_id}/{step}")
async def consultation_step(
    request: Request, console: ConsoleDep, consultation_id: uuid.UUID, step: str
) -> Response:
    who = console.who(request, COMMITTEE)
    form = form_of(await request.form())
    if step == "sessions":
        body: dict[str, Any] = {
            "held_on": form.get("held_on", ""),
            "place": form.get("place", ""),
            "summary": form.get("summary", ""),
            "attendees": names_of(form.get("attendees", "")),
        }
    elif step == "agreement":
        body = {
            "changes": lines_of(form.get("changes", "")),
            "effective_on": form.get("effective_on", ""),
            "follow_up_on": form.get("follow_up_on", ""),
        }
    elif step == "close":
        body = {"outcome": form.get("outcome", ""), "note": form.get("note", "")}
    else:
        return Response(status_code=404)
    try:
        await console.backends.post(
            who,
            "mediation",
            f"/api/v1/consultations/{consultation_id}/{step}",
            body,
            idempotency_key=form_key(await request.form()),
        )
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        return await detail_page(
            console, request, who, consultation_id, status,
            errors=exc.field_errors(who.lang), failed=step, form=form,
        )  # fmt: skip
    return RedirectResponse(f"/console/consultations/{consultation_id}", 303)


@router.get("/compounds")
async def compounds(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, COMMITTEE)
    rows = await console.backends.get(who, "dispatch", "/api/v1/compounds")
    return console.render(request, "compounds.html", who, compounds=rows)


async def compound_page(
    console: Console, request: Request, who: Caller, compound_id: str, status: int = 200, **ctx: Any
) -> Response:
    ctx = {"form": {}, "errors": {}} | ctx
    row = await console.backends.get(who, "dispatch", f"/api/v1/compounds/{compound_id}")
    return console.render(request, "compound.html", who, status, c=row, **ctx)


@router.get("/compounds/{compound_id}")
async def compound(request: Request, console: ConsoleDep, compound_id: str) -> Response:
    return await compound_page(console, request, console.who(request, COMMITTEE), compound_id)


@router.post("/compounds/{compound_id}/adoption")
async def adoption(request: Request, console: ConsoleDep, compound_id: str) -> Response:
    """The committee records the day the compound adopted the access rules (J3)."""
    who = console.who(request, COMMITTEE)
    raw = await request.form()
    form = form_of(raw)
    path = f"/api/v1/compounds/{compound_id}/adoption"
    try:
        await console.backends.post(
            who, "dispatch", path, {"adopted_on": form.get("adopted_on", "")},
            idempotency_key=form_key(raw),
        )  # fmt: skip
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        errors = exc.field_errors(who.lang)
        return await compound_page(
            console, request, who, compound_id, status, errors=errors, form=form
        )
    return RedirectResponse(f"/console/compounds/{compound_id}?adopted=1", 303)
