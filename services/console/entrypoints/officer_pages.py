"""The intake officer's pages: file a dispute (also oral) or a hazard, list, correct."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.case_pages import case_view, mediation_extras
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.hazard_map import picker
from services.console.entrypoints.pages import COMMITTEE, OFFICER, Console
from services.console.entrypoints.session import Caller
from services.console.entrypoints.session_places import near, point_of
from shared.contracts.glossary import codes

FILTERS = ("tracking_code", "kind", "status", "category", "jurisdiction", "respondent")


def _opt(form: dict[str, str], key: str) -> str | None:
    value = form.get(key, "").strip()
    return value or None


MAX_RESPONDENTS = 20  # what intake's FileDispute takes


def respondent_rows(form: dict[str, str]) -> int:
    """How many respondent rows the form shows: those filled, one more on "add", at least 2."""
    filled = [i for i in range(MAX_RESPONDENTS) if _opt(form, f"respondents.{i}.name")]
    rows = max([2, int(form.get("respondent_rows") or 0), (filled[-1] + 1) if filled else 0])
    return min(rows + (1 if "add_respondent" in form else 0), MAX_RESPONDENTS)


def dispute_body(form: dict[str, str], who: Caller) -> dict[str, Any]:
    """The officer API's FileDispute from the form's dotted field names."""
    respondents = [
        {
            "name": form.get(f"respondents.{i}.name", ""),
            "org_code": _opt(form, f"respondents.{i}.org_code"),
            "email": _opt(form, f"respondents.{i}.email"),
        }
        for i in range(MAX_RESPONDENTS)
        if i == 0 or _opt(form, f"respondents.{i}.name")
    ]
    body: dict[str, Any] = {
        "complainant": {
            "name": form.get("complainant.name", ""),
            "phone": _opt(form, "complainant.phone"),
            "email": _opt(form, "complainant.email"),
            "id_number": _opt(form, "complainant.id_number"),
        },
        "respondents": respondents,
        "dispute_type": form.get("dispute_type", ""),
        "claim": form.get("claim", ""),
        "claim_amount_yuan": _opt(form, "claim_amount_yuan"),
        "facts": form.get("facts", ""),
        "desired_outcome": form.get("desired_outcome", ""),
        "platform_worker": form.get("platform_worker") == "on",
        "dispute_arose_on": _opt(form, "dispute_arose_on"),
        "dispute_arose_on_unknown": form.get("dispute_arose_on_unknown") == "on",
        # the town of the workplace or station: from this address, or the map pick
        "workplace_address": form.get("workplace_address", ""),
        "latitude": _opt(form, "latitude"),
        "longitude": _opt(form, "longitude"),
        # where a session can be held: a station offered near the workplace (J13)
        "preferred_station_id": _opt(form, "preferred_station_id"),
    }
    received = _opt(form, "received_at")
    if received is not None:  # a datetime-local field: the committee's local time
        body["received_at"] = f"{received}:00+08:00" if len(received) == 16 else received
        body["received_by"] = _opt(form, "received_by")
        body["received_via"] = _opt(form, "received_via")
    if form.get("oral") == "on":
        body["oral_application"] = {
            "confirmed_by_applicant": form.get("oral_confirmed") == "on",
            "read_back_by": who.principal.actor.id,
        }
    return body


MEMBER_FIELDS = ("name", "phone", "id_number", "claim_amount_yuan", "representative")
_YES = frozenset({"是", "代表", "y", "yes", "1", "true", "✓"})


def member_rows(form: dict[str, str]) -> int:
    """How many member rows the group form shows: those filled, one more on "add", at least 3."""
    filled = [i for i in range(MAX_MEMBER_ROWS) if _opt(form, f"members.{i}.name")]
    rows = max([3, int(form.get("member_rows") or 0), (filled[-1] + 1) if filled else 0])
    return min(rows + (1 if "add_member" in form else 0), MAX_MEMBER_ROWS)


MAX_MEMBER_ROWS = 50  # more members come pasted, one a line


def pasted_members(text: str) -> list[dict[str, Any]]:
    """Members pasted one a line: 姓名, 手机号, 身份证号, 金额, 代表 (comma, tab or 、)."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"[,，\t、]", line)]
        if not any(cells):
            continue
        cells += [""] * (len(MEMBER_FIELDS) - len(cells))
        out.append(_member(dict(zip(MEMBER_FIELDS, cells, strict=False))))
    return out


def _member(values: dict[str, str]) -> dict[str, Any]:
    return {
        "name": values.get("name", ""),
        "phone": values.get("phone") or None,
        "id_number": values.get("id_number") or None,
        "claim_amount_yuan": values.get("claim_amount_yuan") or None,
        "representative": values.get("representative", "").lower() in _YES
        or values.get("representative") == "on",
    }


def group_body(form: dict[str, str], who: Caller) -> dict[str, Any]:
    """The officer API's group FileDispute: the rows first, then the pasted lines."""
    body = dispute_body(form, who)
    del body["complainant"]
    rows = [
        _member({f: form.get(f"members.{i}.{f}", "") for f in MEMBER_FIELDS})
        for i in range(MAX_MEMBER_ROWS)
        if _opt(form, f"members.{i}.name")
    ]
    body["members"] = rows + pasted_members(form.get("members_csv", ""))
    return body


SUPPLEMENT_FIELDS = (
    "claim",
    "claim_amount_yuan",
    "facts",
    "desired_outcome",
    "id_number",
    "workplace_address",
    "latitude",
    "longitude",
    "preferred_station_id",
)


def supplement_body(form: dict[str, str]) -> dict[str, Any]:
    """The officer API's SupplementDispute: only the fields filled in (the rest stay)."""
    body: dict[str, Any] = {k: _opt(form, k) for k in SUPPLEMENT_FIELDS if _opt(form, k)}
    respondent = {k: _opt(form, f"respondents.0.{k}") for k in ("name", "org_code", "email")}
    if any(respondent.values()):
        body["respondents"] = [respondent | {"name": respondent["name"] or ""}]
    return body | {"note": form.get("note", "")}


def hazard_body(form: dict[str, str]) -> dict[str, Any]:
    # FileHazard has no compound field: the compound's name leads the address.
    address = " ".join(p for p in (_opt(form, "compound_name"), _opt(form, "address")) if p)
    return {
        "category": form.get("category", ""),
        "latitude": _opt(form, "latitude"),
        "longitude": _opt(form, "longitude"),
        "address": address,
        "description": form.get("description", ""),
        "reporter": {
            "name": form.get("reporter.name", ""),
            "phone": _opt(form, "reporter.phone"),
            "email": _opt(form, "reporter.email"),
        },
    }


router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/cases")
async def cases(
    request: Request,
    console: ConsoleDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    who = console.who(request, OFFICER | COMMITTEE)
    chosen = {k: request.query_params.get(k, "") for k in FILTERS}
    page = await console.backends.get(
        who, "intake", "/api/v1/cases", cursor=cursor, limit=50, **chosen
    )
    return console.render(
        request, "cases.html", who, page=page, chosen=chosen,
        categories=codes("category"), dispute_types=codes("dispute_type"),
    )  # fmt: skip


async def form_page(
    console: Console, request: Request, who: Caller, name: str, **ctx: Any
) -> Response:
    form = ctx.get("form", {})
    if name != "file_hazard.html":  # where a session can be held, near the workplace
        ctx["session_stations"] = await near(console, who, point_of(form))
    return console.render(
        request, name, who, status=ctx.pop("status", 200), categories=codes("category"),
        dispute_types=codes("dispute_type"), received_via=codes("received_via"),
        rows=respondent_rows(form), member_rows=member_rows(form),
        picker_svg=picker(await console.areas(who)), form_key=uuid.uuid4().hex, **ctx,
    )  # fmt: skip


async def read_form(request: Request) -> tuple[dict[str, str], list[UploadFile]]:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    files = [f for f in raw.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    return form, files


async def attach(console: Console, who: Caller, case_id: str, files: list[UploadFile]) -> None:
    """The filing's photos, each one an attachment of the new case."""
    for photo in files:
        content = await photo.read()
        upload = {"file": (photo.filename, content, photo.content_type or "image/jpeg")}
        await console.backends.call(
            who, "intake", "POST", f"/api/v1/cases/{case_id}/attachments", files=upload
        )


async def file(console: Console, request: Request, kind: str) -> Response:
    who = console.who(request, OFFICER)
    form, files = await read_form(request)
    template = f"file_{kind}.html"
    if {"add_respondent", "add_member", "find_stations"} & form.keys():  # nothing filed yet
        return await form_page(console, request, who, template, form=form, errors={})
    if kind == "group":
        body = group_body(form, who)
    else:
        body = dispute_body(form, who) if kind == "dispute" else hazard_body(form)
    key = form.get("form_key") or None
    path = "/api/v1/disputes" if kind == "group" else f"/api/v1/{kind}s"
    try:
        filed = await console.backends.post(who, "intake", path, body, idempotency_key=key)
        await attach(console, who, str(filed["case_id"]), files)
    except ServiceError as exc:
        return await form_page(
            console,
            request,
            who,
            template,
            form=form,
            errors=exc.field_errors(who.lang),
            status=422,
        )
    return RedirectResponse(f"/console/cases/{filed['case_id']}?filed=1", 303)


@router.get("/file/dispute")
async def dispute_form(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, OFFICER)
    return await form_page(console, request, who, "file_dispute.html", form={}, errors={})


@router.post("/file/dispute")
async def file_dispute(request: Request, console: ConsoleDep) -> Response:
    return await file(console, request, "dispute")


@router.get("/file/group")
async def group_form(request: Request, console: ConsoleDep) -> Response:
    """A group dispute (LDMAL 7): member rows, or members pasted one a line."""
    who = console.who(request, OFFICER)
    return await form_page(console, request, who, "file_group.html", form={}, errors={})


@router.post("/file/group")
async def file_group(request: Request, console: ConsoleDep) -> Response:
    return await file(console, request, "group")


@router.get("/file/hazard")
async def hazard_form(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, OFFICER)
    return await form_page(console, request, who, "file_hazard.html", form={}, errors={})


@router.post("/file/hazard")
async def file_hazard(request: Request, console: ConsoleDep) -> Response:
    return await file(console, request, "hazard")


async def case_again(
    console: Console, request: Request, who: Caller, case_id: uuid.UUID, **ctx: Any
) -> Response:
    view = await case_view(console, who, case_id)
    return console.render(
        request, "case.html", who, 422, categories=codes("category"),
        picker_svg=picker(await console.areas(who)), **ctx, **view,
    )  # fmt: skip


@router.post("/cases/{case_id}/correct")
async def correct(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    who = console.who(request, OFFICER)
    form, _files = await read_form(request)
    body = {
        "category": _opt(form, "category"),
        "latitude": _opt(form, "latitude"),
        "longitude": _opt(form, "longitude"),
        "address": _opt(form, "address"),
        "reason": form.get("reason", ""),
    }
    try:
        path = f"/api/v1/cases/{case_id}/correct"
        await console.backends.post(who, "intake", path, body, idempotency_key=form_key(form))
    except ServiceError as exc:
        errors = exc.field_errors(who.lang)
        return await case_again(
            console, request, who, case_id, correct_errors=errors, correct_form=form
        )
    return RedirectResponse(f"/console/cases/{case_id}?corrected=1", 303)


@router.post("/cases/{case_id}/members")
async def add_members(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    """Workers who join a group dispute after filing: a member case each (LDMAL 7)."""
    who = console.who(request, OFFICER)
    form, _files = await read_form(request)
    members = [
        _member({f: form.get(f"members.0.{f}", "") for f in MEMBER_FIELDS})
        for _ in (0,)
        if _opt(form, "members.0.name")
    ] + pasted_members(form.get("members_csv", ""))
    try:
        path = f"/api/v1/disputes/{case_id}/members"
        added = await console.backends.post(
            who, "intake", path, {"members": members}, idempotency_key=form_key(form)
        )
    except ServiceError as exc:
        errors = exc.field_errors(who.lang)
        return await case_again(
            console, request, who, case_id, member_errors=errors, member_form=form
        )
    return RedirectResponse(f"/console/cases/{case_id}?added={len(added)}#members", 303)


@router.post("/cases/{case_id}/supplement")
async def supplement(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    """补充申请材料 while the application awaits acceptance; 查找附近阵地 offers the
    stations with legal help nearest the workplace (given now, else on file)."""
    who = console.who(request, OFFICER)
    form, _files = await read_form(request)
    if "find_stations" in form:  # nothing sent yet
        view = await case_view(console, who, case_id)
        view |= await mediation_extras(console, who, view)
        point = point_of(form) or point_of(view["case"].get("details") or {})
        return console.render(
            request, "case.html", who, categories=codes("category"),
            picker_svg=picker(await console.areas(who)), supplement_form=form,
            supplement_stations=await near(console, who, point), **view,
        )  # fmt: skip
    try:
        path, body = f"/api/v1/disputes/{case_id}/supplement", supplement_body(form)
        await console.backends.post(who, "intake", path, body, idempotency_key=form_key(form))
    except ServiceError as exc:
        errors = exc.field_errors(who.lang)
        return await case_again(
            console, request, who, case_id, supplement_errors=errors, supplement_form=form
        )
    return RedirectResponse(f"/console/cases/{case_id}?supplemented=1#supplement", 303)


@router.post("/cases/{case_id}/split")
async def split(request: Request, console: ConsoleDep, case_id: uuid.UUID) -> Response:
    """Undo a wrong merge: the follower becomes a ticket of its own again."""
    who = console.who(request, OFFICER)
    form, _files = await read_form(request)
    try:
        await console.backends.post(
            who,
            "intake",
            f"/api/v1/cases/{case_id}/split",
            {"reason": form.get("reason", "")},
            idempotency_key=form_key(form),
        )
    except ServiceError as exc:
        return await case_again(
            console, request, who, case_id, split_errors=exc.field_errors(who.lang)
        )
    return RedirectResponse(f"/console/cases/{case_id}?split=1", 303)
