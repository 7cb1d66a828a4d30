"""The intake officer's pages: file a dispute (also oral) or a hazard, list, correct."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.case_pages import case_view
from services.console.entrypoints.pages import COMMITTEE, OFFICER, Console
from services.console.entrypoints.session import Caller
from shared.glossary import codes

FILTERS = ("kind", "status", "category", "jurisdiction", "respondent")


def _opt(form: dict[str, str], key: str) -> str | None:
    value = form.get(key, "").strip()
    return value or None


def dispute_body(form: dict[str, str], who: Caller) -> dict[str, Any]:
    """The officer API's FileDispute from the form's dotted field names."""
    respondents = [
        {
            "name": form.get(f"respondents.{i}.name", ""),
            "org_code": _opt(form, f"respondents.{i}.org_code"),
        }
        for i in (0, 1)
        if i == 0 or _opt(form, f"respondents.{i}.name")
    ]
    body: dict[str, Any] = {
        "complainant": {
            "name": form.get("complainant.name", ""),
            "phone": _opt(form, "complainant.phone"),
            "email": _opt(form, "complainant.email"),
        },
        "respondents": respondents,
        "dispute_type": form.get("dispute_type", ""),
        "claim": form.get("claim", ""),
        "claim_amount_yuan": _opt(form, "claim_amount_yuan"),
        "facts": form.get("facts", ""),
        "platform_worker": form.get("platform_worker") == "on",
    }
    if form.get("oral") == "on":
        body["oral_application"] = {
            "confirmed_by_applicant": form.get("oral_confirmed") == "on",
            "read_back_by": who.principal.actor.id,
        }
    return body


def hazard_body(form: dict[str, str]) -> dict[str, Any]:
    return {
        "category": form.get("category", ""),
        "latitude": _opt(form, "latitude"),
        "longitude": _opt(form, "longitude"),
        "address": form.get("address", ""),
        "description": form.get("description", ""),
        "reporter": {
            "name": form.get("reporter.name", ""),
            "phone": _opt(form, "reporter.phone"),
        },
    }


def build_router(console: Console) -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)
    api = console.backends

    @router.get("/cases")
    async def cases(
        request: Request, cursor: Annotated[str | None, Query(max_length=200)] = None
    ) -> Response:
        who = console.who(request, OFFICER | COMMITTEE)
        chosen = {k: request.query_params.get(k, "") for k in FILTERS}
        page = await api.get(who, "intake", "/api/v1/cases", cursor=cursor, limit=50, **chosen)
        return console.render(
            request, "cases.html", who, page=page, chosen=chosen,
            categories=codes("category"), dispute_types=codes("dispute_type"),
        )  # fmt: skip

    async def form_page(request: Request, who: Caller, name: str, **ctx: Any) -> Response:
        return console.render(
            request, name, who, status=ctx.pop("status", 200), categories=codes("category"),
            dispute_types=codes("dispute_type"), **ctx,
        )  # fmt: skip

    @router.get("/file/dispute")
    async def dispute_form(request: Request) -> Response:
        who = console.who(request, OFFICER)
        return await form_page(request, who, "file_dispute.html", form={}, errors={})

    @router.post("/file/dispute")
    async def file_dispute(request: Request) -> Response:
        who = console.who(request, OFFICER)
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            filed = await api.post(who, "intake", "/api/v1/disputes", dispute_body(form, who))
        except ServiceError as exc:
            return await form_page(
                request, who, "file_dispute.html", form=form,
                errors=exc.field_errors(), status=422,
            )  # fmt: skip
        return RedirectResponse(f"/console/cases/{filed['case_id']}?filed=1", 303)

    @router.get("/file/hazard")
    async def hazard_form(request: Request) -> Response:
        who = console.who(request, OFFICER)
        return await form_page(request, who, "file_hazard.html", form={}, errors={})

    @router.post("/file/hazard")
    async def file_hazard(request: Request) -> Response:
        who = console.who(request, OFFICER)
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            filed = await api.post(who, "intake", "/api/v1/hazards", hazard_body(form))
        except ServiceError as exc:
            return await form_page(
                request, who, "file_hazard.html", form=form,
                errors=exc.field_errors(), status=422,
            )  # fmt: skip
        return RedirectResponse(f"/console/cases/{filed['case_id']}?filed=1", 303)

    @router.post("/cases/{case_id}/correct")
    async def correct(request: Request, case_id: uuid.UUID) -> Response:
        who = console.who(request, OFFICER)
        form = {k: str(v) for k, v in (await request.form()).items()}
        body = {
            "category": _opt(form, "category"),
            "latitude": _opt(form, "latitude"),
            "longitude": _opt(form, "longitude"),
            "reason": form.get("reason", ""),
        }
        try:
            await api.post(who, "intake", f"/api/v1/cases/{case_id}/correct", body)
        except ServiceError as exc:
            view = await case_view(console, who, case_id)
            return console.render(
                request, "case.html", who, 422, correct_errors=exc.field_errors(),
                correct_form=form, **view,
            )  # fmt: skip
        return RedirectResponse(f"/console/cases/{case_id}", 303)

    return router
