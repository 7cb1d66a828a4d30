"""Open311's service requests: a hazard filed by a client with an api_key, the requests listed
and one by id, a POST's token resolved, and a hazard's photo.

POST requests answers 201 Created (the spec names no status; here 201 means "durably
stored", as everywhere in intake) with a token, which tokens/{token} turns into the
service_request_id.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.intake.domain import attributes as attribute_rules
from services.intake.domain import catalogue
from services.intake.domain.commands import FileHazard, Open311Request, PersonIn
from services.intake.domain.errors import IntakeError, InvalidField
from services.intake.domain.tracking import follow_notice
from services.intake.entrypoints import open311_bodies as bodies
from services.intake.entrypoints.dependencies import Intake, IntakeDep, RuntimeDep
from services.intake.entrypoints.idempotent import run_once
from services.intake.entrypoints.open311_errors import Open311Problem, invalid, problem
from services.intake.entrypoints.open311_format import render
from services.intake.entrypoints.open311_params import (
    PREFIX,
    check_jurisdiction,
    fmt_of,
    key_from,
    listed,
    split_form,
    uuid_of,
    whole,
    window,
)
from services.intake.entrypoints.personal_fields import OPEN311_FILING
from services.intake.service_layer import attachments, filing, idempotency, views
from services.intake.service_layer.views import AttachmentRead, CaseRead, KeyRead, RequestQuery
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.fields import names_present

# Behind the Open311 rate limit (app.py), keyed by the client's api_key.
router = APIRouter(prefix=PREFIX, tags=["open311"])


def actor_id(key: KeyRead) -> str:
    return f"open311-{key.id.hex[:12]}"


def _reporter(cmd: Open311Request, fmt: str) -> PersonIn:
    name = " ".join(p for p in (cmd.first_name, cmd.last_name) if p) or "Open311 报告人"
    try:
        return PersonIn(name=name, phone=cmd.phone, email=cmd.email)
    except ValidationError as exc:
        raise invalid(exc, fmt) from None


def _locate(cmd: Open311Request, intake: Intake) -> tuple[float, float]:
    if cmd.lat is not None and cmd.long is not None:
        return cmd.lat, cmd.long
    if cmd.address_string:
        found = intake.context.jurisdictions.locate_address(cmd.address_string)
        if found is None:
            raise InvalidField(
                "address_string", "no town or street of the district named; send lat/long"
            )
        return found[1], found[2]
    raise InvalidField("address_id", "not supported here; send lat/long or address_string")


def _hazard(
    fields: dict[str, str], attrs: dict[str, list[str]], fmt: str, intake: Intake
) -> tuple[FileHazard, Open311Request, dict[str, object]]:
    """The filing a client's form asks for, its attributes checked against the service's."""
    try:
        cmd = Open311Request.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc, fmt) from None
    cat = catalogue.category(cmd.service_code)
    if cat is None:
        raise InvalidField("service_code", f"no service {cmd.service_code[:40]!r}")
    typed = attribute_rules.validate(cat.code, attrs)
    lat, lng = _locate(cmd, intake)
    hazard = FileHazard(
        category=cat.code,
        latitude=lat,
        longitude=lng,
        description=cmd.description or cat.name_zh,
        address=cmd.address_string,
        reporter=_reporter(cmd, fmt),
    )
    return hazard, cmd, typed


@router.post("/requests.{fmt}", summary="Create a service request", status_code=201)
async def create_request(
    fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """File a hazard (form-encoded, or multipart with a `media` photo); api_key required."""
    fmt = fmt_of(fmt)
    settings, uploads = intake.settings, intake.uploads
    form = await request.form(max_files=1, max_fields=200)
    fields, attrs = split_form(list(form.multi_items()))
    check_jurisdiction(fields, fmt, settings)
    key = await key_from(runtime, fields, fmt)
    try:
        photo = await uploads.read(form.get("media"))
    except IntakeError as exc:
        raise problem(exc, fmt) from None
    digest = idempotency.fingerprint(
        {"fields": fields, "attributes": attrs, "media": photo.sha256 if photo else None}
    )

    async def action(uow: UnitOfWork) -> Response:
        hazard, cmd, typed = _hazard(fields, attrs, fmt, intake)
        client = Actor(role="reporter", id=actor_id(key))
        case = await filing.file_hazard(
            hazard,
            uow,
            client,
            intake.context,
            "open311",
            attributes=typed,
            media_url=cmd.media_url,
            open311_token=secrets.token_urlsafe(12),
        )
        if photo is not None:
            await attachments.attach(
                case,
                photo.data,
                photo.filename,
                uow,
                client,
                uploads.store,
                uploads.clock,
                uploads.max_bytes,
            )
        written = names_present({**fields, "media": "yes" if photo else ""}, OPEN311_FILING)
        await intake.audit.add(uow.session, "create", actor=client, case_id=case.id, fields=written)
        zh, en = follow_notice(
            case.tracking_code,
            f"{settings.self_url.rstrip('/')}/track/{case.tracking_code}",
            email=bool(fields.get("email")),
            phone=bool(fields.get("phone")),
            sms=settings.sms_notices,
        )
        notice = (
            f"已受理，查询码 {case.tracking_code}。{zh} "
            f"Filed; tracking code {case.tracking_code}. {en}"
        )
        body = [
            {
                "token": case.open311_token,
                "service_notice": notice,
                "account_id": fields.get("account_id"),
            }
        ]
        return render(fmt, "service_requests", "request", body, 201)

    try:
        return await run_once(runtime, request, digest, action)
    except IntakeError as exc:
        raise problem(exc, fmt) from None


def _requests(
    fmt: str, request: Request, cases: list[CaseRead], files: list[AttachmentRead]
) -> Response:
    base = str(request.base_url)
    data = [bodies.request(base, c, [f for f in files if f.case_id == c.id]) for c in cases]
    return render(fmt, "service_requests", "request", data)


@router.get("/requests.{fmt}", summary="Query service requests")
async def list_requests(
    fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """Filters: service_request_id (overrides the rest, which are still checked),
    service_code, start/end_date, status; page/page_size extension. Default: the last 90
    days, at most 1000."""
    fmt = fmt_of(fmt)
    params = dict(request.query_params)
    check_jurisdiction(params, fmt, intake.settings)
    page = whole(params, "page", 1, 100_000, fmt)
    size = whole(params, "page_size", 1000, 1000, fmt)
    # every filter checked, always
    codes = listed(params, "service_code")
    statuses = {s.lower() for s in listed(params, "status")}
    if statuses - {"open", "closed"}:
        raise Open311Problem(400, "status: open and/or closed", fmt)
    start, end = window(params, fmt, intake.context.now())
    ids = listed(params, "service_request_id")
    query = RequestQuery(
        start=start,
        end=end,
        ids=[found for i in ids if (found := uuid_of(i))] if ids else None,
        service_codes=tuple(codes),
        closed="closed" in statuses if len(statuses) == 1 else None,
        page=page,
        size=size,
    )
    async with runtime.sessions() as session:
        cases, files = await views.hazard_requests(session, query)
    return _requests(fmt, request, cases, files)


@router.get("/requests/{service_request_id}.{fmt}", summary="One service request")
async def one_request(
    service_request_id: str, fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """The request, as a one-element list."""
    fmt = fmt_of(fmt)
    check_jurisdiction(request.query_params, fmt, intake.settings)
    case_id = uuid_of(service_request_id)
    found = None
    if case_id is not None:
        async with runtime.sessions() as session:
            found = await views.hazard_request(session, case_id)
    if found is None:
        raise Open311Problem(
            404, f"service_request_id: no request {service_request_id[:64]!r}", fmt
        )
    case, files = found
    return _requests(fmt, request, [case], files)


@router.get("/tokens/{token}.{fmt}", summary="Resolve a token")
async def token(
    token: str, fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """The service_request_id a POST's token stands for."""
    fmt = fmt_of(fmt)
    check_jurisdiction(request.query_params, fmt, intake.settings)
    async with runtime.sessions() as session:
        found = await views.request_by_token(session, token[:40])
    if found is None:
        raise Open311Problem(404, f"token: no request with token {token[:40]!r}", fmt)
    body = [{"service_request_id": str(found), "token": token}]
    return render(fmt, "service_requests", "request", body)


@router.get("/media/{attachment_id}", summary="A hazard's photo")
async def media(attachment_id: str, runtime: RuntimeDep, intake: IntakeDep) -> Response:
    """Photos of hazards are public like the requests; documents are not served here."""
    async with runtime.sessions() as session:
        row = await views.public_photo(session, attachment_id[:32])
    if row is None:
        raise HTTPException(404, "no such photo")
    return intake.uploads.serve(row)
