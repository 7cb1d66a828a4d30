"""Open311 GeoReport v2 at /open311/v2/ (XML and JSON), with the FixMyStreet updates extension.

POST requests answers 201 Created (the spec names no status; here 201 means "durably
stored", as everywhere in intake) with a token, which tokens/{token} turns into the
service_request_id.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import col, select

from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.adapters.tables import ApiKey, Case, DepartmentUpdate, TimelineEntry
from services.intake.config import IntakeSettings
from services.intake.domain import attributes as attribute_rules
from services.intake.domain import catalogue
from services.intake.domain.commands import (
    DepartmentUpdateIn,
    FileHazard,
    Open311Request,
    PersonIn,
)
from services.intake.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyMismatch,
    IntakeError,
    InvalidField,
    NotFound,
    OutsideServiceArea,
    TooLarge,
    UnsupportedMedia,
)
from services.intake.domain.open311 import CLOSED_STATES
from services.intake.domain.tracking import follow_notice
from services.intake.entrypoints import open311_views as views
from services.intake.entrypoints.idempotent import run_once
from services.intake.entrypoints.open311_docs import document_open311
from services.intake.entrypoints.open311_edge import Open311Edge
from services.intake.entrypoints.open311_format import errors, render
from services.intake.entrypoints.personal_fields import OPEN311_FILING
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer import apikeys, attachments, filing, idempotency, updates
from services.intake.service_layer.triage import Triage
from shared.audit.fields import names_present
from shared.audit.log import AuditLog
from shared.contracts.envelope import Actor
from shared.http import ErrorMapping
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

PREFIX = "/open311/v2"
FORMATS = ("xml", "json")
MAX_WINDOW = timedelta(days=90)
_ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_-]{1,40})\](\[\])?$")


class Open311Problem(Exception):
    """Answered in the spec's error format, in the format the client asked for."""

    def __init__(self, status: int, description: str, fmt: str = "xml") -> None:
        super().__init__(description)
        self.status, self.description, self.fmt = status, description, fmt


def install(app: FastAPI) -> None:
    async def handle(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Open311Problem)
        return errors(exc.fmt, exc.status, exc.description)

    app.add_exception_handler(Open311Problem, handle)
    # Outermost of the middleware added so far: it sees the rate limit's, the NUL guard's and
    # the body limit's answers too.
    app.add_middleware(Open311Edge)
    document_open311(app)


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Problem(404, f"unknown format .{fmt[:20]}; use .xml or .json")
    return fmt


# Domain errors in the spec's codes: 404 missing, 403 not yours, 409 an id reused with another
# body, 400 everything else; the detail is the error's description.
_SPEC_CODES = ErrorMapping(
    [
        (NotFound, 404, lambda e: f"not found: {e}"),
        (Forbidden, 403, str),
        (TooLarge, 413, lambda e: f"media: {e}"),
        (UnsupportedMedia, 415, lambda e: f"media: {e}"),
        (
            IdempotencyMismatch,
            409,
            lambda _: "Idempotency-Key: already used with a different request",
        ),
        (OutsideServiceArea, 400, lambda _: "lat/long: the location is outside the service area"),
        (InvalidField, 400, str),
        (Conflict, 409, str),
    ],
    otherwise=(400, str),
    answer=lambda status, description: (status, description),
)


def _problem(exc: IntakeError, fmt: str) -> Open311Problem:
    status, description = _SPEC_CODES(exc)
    return Open311Problem(status, description, fmt)


def _invalid(exc: ValidationError, fmt: str) -> Open311Problem:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "request"
    return Open311Problem(400, f"{field}: {first.get('msg', 'invalid')}", fmt)


def _window(params: dict[str, str], fmt: str, now: datetime) -> tuple[datetime, datetime]:
    """start_date/end_date: timezone required, at most 90 days apart; default the last 90."""
    start, end = (_date(params, name, fmt) for name in ("start_date", "end_date"))
    if start and end and end - start > MAX_WINDOW:
        raise Open311Problem(400, "start_date/end_date: at most 90 days apart", fmt)
    if start and end and end < start:
        raise Open311Problem(400, "end_date: before start_date", fmt)
    if start and not end:
        end = start + MAX_WINDOW
    if end and not start:
        start = end - MAX_WINDOW
    return start or now - MAX_WINDOW, end or now + timedelta(minutes=5)


def _date(params: dict[str, str], name: str, fmt: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None  # an empty parameter counts as absent
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise Open311Problem(400, f"{name}: not a W3C datetime", fmt) from None
    if at.tzinfo is None:
        raise Open311Problem(400, f"{name}: needs a timezone (Z or ±HH:MM)", fmt)
    return at


def _int(params: dict[str, str], name: str, default: int, high: int, fmt: str) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise Open311Problem(400, f"{name}: a whole number from 1 to {high}", fmt)
    return int(raw)


def _csv(params: dict[str, str], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, "").split(",") if v.strip()]


def split_form(items: list[tuple[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Plain fields, and attribute[code] / attribute[code][] values (lists)."""
    fields: dict[str, str] = {}
    attrs: dict[str, list[str]] = {}
    for name, value in items:
        if not isinstance(value, str):
            continue  # files are handled apart
        match = _ATTRIBUTE.match(name)
        if match:
            attrs.setdefault(match.group(1), []).append(value)
        elif value.strip():  # empty counts as absent
            fields[name] = value
    return fields, attrs


Handler = Callable[..., Coroutine[Any, Any, Response]]


def build_router(
    runtime: ServiceRuntime,
    triage: Triage,
    settings: IntakeSettings,
    uploads: Uploads,
    audit: AuditLog,
) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["open311"])
    places: JurisdictionMap = triage.jurisdictions

    def check_jurisdiction(params: Any, fmt: str) -> None:
        given = str(params.get("jurisdiction_id", "") or "").strip()
        if given and given != settings.open311_jurisdiction_id:
            raise Open311Problem(404, f"jurisdiction_id: unknown jurisdiction {given[:40]!r}", fmt)

    async def key_from(form: dict[str, str], fmt: str) -> ApiKey:
        async with runtime.sessions() as session:
            key = await apikeys.check_key(session, form.get("api_key"))
        if key is None:
            raise Open311Problem(403, "api_key: missing or invalid", fmt)
        return key

    @router.get("/discovery.{fmt}", summary="Service discovery")
    async def discovery(fmt: str, request: Request) -> Response:
        """Where this endpoint lives and which formats it speaks."""
        fmt = _fmt(fmt)
        data = views.discovery(
            str(request.base_url), settings.open311_contact, settings.open311_key_service
        )
        return render(fmt, "discovery", None, data)

    @router.get("/services.{fmt}", summary="List services")
    async def services(fmt: str, request: Request) -> Response:
        """Hazard categories as Open311 services."""
        fmt = _fmt(fmt)
        check_jurisdiction(request.query_params, fmt)
        return render(fmt, "services", "service", views.services())

    @router.get("/services/{service_code}.{fmt}", summary="Service definition")
    async def service_definition(service_code: str, fmt: str, request: Request) -> Response:
        """The extra attributes a service asks for."""
        fmt = _fmt(fmt)
        check_jurisdiction(request.query_params, fmt)
        if catalogue.category(service_code) is None:
            raise Open311Problem(404, f"service_code: no service {service_code[:40]!r}", fmt)
        return render(fmt, "service_definition", None, views.definition(service_code))

    @router.post("/requests.{fmt}", summary="Create a service request", status_code=201)
    async def create_request(fmt: str, request: Request) -> Response:
        """File a hazard (form-encoded, or multipart with a `media` photo); api_key required."""
        fmt = _fmt(fmt)
        form = await request.form(max_files=1, max_fields=200)
        fields, attrs = split_form(list(form.multi_items()))
        check_jurisdiction(fields, fmt)
        key = await key_from(fields, fmt)
        try:
            photo = await uploads.read(form.get("media"))
        except IntakeError as exc:
            raise _problem(exc, fmt) from None
        digest = idempotency.fingerprint(
            {"fields": fields, "attributes": attrs, "media": photo.sha256 if photo else None}
        )

        async def action(uow: UnitOfWork) -> Response:
            case = await _file(uow, fields, attrs, key)
            client = Actor(role="reporter", id=_actor_id(key))
            if photo is not None:
                await uploads.attach(case, photo, uow, client)
            written = names_present({**fields, "media": "yes" if photo else ""}, OPEN311_FILING)
            await audit.add(uow.session, "create", actor=client, case_id=case.id, fields=written)
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

        async def _file(
            uow: UnitOfWork, fields: dict[str, str], attrs: dict[str, list[str]], key: ApiKey
        ) -> Case:
            try:
                cmd = Open311Request.model_validate(fields)
            except ValidationError as exc:
                raise _invalid(exc, fmt) from None
            cat = catalogue.category(cmd.service_code)
            if cat is None:
                raise InvalidField("service_code", f"no service {cmd.service_code[:40]!r}")
            typed = attribute_rules.validate(cat.code, attrs)
            lat, lng = _locate(cmd)
            hazard = FileHazard(
                category=cat.code,
                latitude=lat,
                longitude=lng,
                description=cmd.description or cat.name_zh,
                address=cmd.address_string,
                reporter=_reporter(cmd, fmt),
            )
            return await filing.file_hazard(
                hazard,
                uow,
                Actor(role="reporter", id=_actor_id(key)),
                triage,
                "open311",
                attributes=typed,
                media_url=cmd.media_url,
                open311_token=secrets.token_urlsafe(12),
            )

        def _locate(cmd: Open311Request) -> tuple[float, float]:
            if cmd.lat is not None and cmd.long is not None:
                return cmd.lat, cmd.long
            if cmd.address_string:
                found = places.locate_address(cmd.address_string)
                if found is None:
                    raise InvalidField(
                        "address_string", "no town or street of the district named; send lat/long"
                    )
                return found[1], found[2]
            raise InvalidField("address_id", "not supported here; send lat/long or address_string")

        try:
            return await run_once(runtime, request, digest, action)
        except IntakeError as exc:
            raise _problem(exc, fmt) from None

    @router.get("/requests.{fmt}", summary="Query service requests")
    async def list_requests(fmt: str, request: Request) -> Response:
        """Filters: service_request_id (overrides the rest, which are still checked),
        service_code, start/end_date, status; page/page_size extension. Default: the last 90
        days, at most 1000."""
        fmt = _fmt(fmt)
        params = dict(request.query_params)
        check_jurisdiction(params, fmt)
        page = _int(params, "page", 1, 100_000, fmt)
        size = _int(params, "page_size", 1000, 1000, fmt)
        stmt = select(Case).where(Case.kind == "hazard")
        filtered = _filtered(stmt, params, fmt, triage.now())  # every filter checked, always
        ids = _csv(params, "service_request_id")
        if ids:
            stmt = stmt.where(col(Case.id).in_([_uuid(i) for i in ids if _uuid(i)]))
        else:
            stmt = filtered
        stmt = stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc())
        stmt = stmt.offset((page - 1) * size).limit(size)
        async with runtime.sessions() as session:
            cases = list((await session.exec(stmt)).all())
            files = await attachments.attachments_of(session, [c.id for c in cases])
        return _requests(fmt, request, cases, files)

    def _filtered(stmt: Any, params: dict[str, str], fmt: str, now: datetime) -> Any:
        codes = _csv(params, "service_code")
        if codes:
            stmt = stmt.where(col(Case.category).in_(codes))
        statuses = {s.lower() for s in _csv(params, "status")}
        if statuses - {"open", "closed"}:
            raise Open311Problem(400, "status: open and/or closed", fmt)
        if len(statuses) == 1:
            closed = sorted(CLOSED_STATES)
            column = col(Case.status)
            stmt = stmt.where(column.in_(closed) if "closed" in statuses else column.not_in(closed))
        start, end = _window(params, fmt, now)
        return stmt.where(col(Case.created_at) >= start, col(Case.created_at) <= end)

    def _requests(fmt: str, request: Request, cases: list[Case], files: list[Any]) -> Response:
        base = str(request.base_url)
        data = [views.request(base, c, [f for f in files if f.case_id == c.id]) for c in cases]
        return render(fmt, "service_requests", "request", data)

    @router.get("/requests/{service_request_id}.{fmt}", summary="One service request")
    async def one_request(service_request_id: str, fmt: str, request: Request) -> Response:
        """The request, as a one-element list."""
        fmt = _fmt(fmt)
        check_jurisdiction(request.query_params, fmt)
        case_id = _uuid(service_request_id)
        async with runtime.sessions() as session:
            case = await session.get(Case, case_id) if case_id else None
            if case is None or case.kind != "hazard":
                raise Open311Problem(
                    404, f"service_request_id: no request {service_request_id[:64]!r}", fmt
                )
            files = await attachments.attachments_of(session, [case.id])
        return _requests(fmt, request, [case], files)

    @router.get("/tokens/{token}.{fmt}", summary="Resolve a token")
    async def token(token: str, fmt: str, request: Request) -> Response:
        """The service_request_id a POST's token stands for."""
        fmt = _fmt(fmt)
        check_jurisdiction(request.query_params, fmt)
        async with runtime.sessions() as session:
            found = (
                await session.exec(select(Case).where(Case.open311_token == token[:40]))
            ).first()
        if found is None:
            raise Open311Problem(404, f"token: no request with token {token[:40]!r}", fmt)
        body = [{"service_request_id": str(found.id), "token": token}]
        return render(fmt, "service_requests", "request", body)

    @router.get("/servicerequestupdates.{fmt}", summary="Updates since a date (FixMyStreet)")
    async def list_updates(fmt: str, request: Request) -> Response:
        """Status changes of every request between start_date and end_date (≤ 90 days)."""
        fmt = _fmt(fmt)
        params = dict(request.query_params)
        check_jurisdiction(params, fmt)
        start, end = _window(params, fmt, triage.now())
        posted = select(DepartmentUpdate.event_id)
        stmt = (
            select(TimelineEntry)
            .join(Case, col(Case.id) == col(TimelineEntry.case_id))
            .where(
                Case.kind == "hazard",
                TimelineEntry.producer == "dispatch",
                col(TimelineEntry.state).is_not(None),
                # a department's own update is listed as it posted it, not again as the
                # state change it caused
                sa.or_(
                    col(TimelineEntry.causation_id).is_(None),
                    col(TimelineEntry.causation_id).not_in(posted),
                ),
                col(TimelineEntry.occurred_at) >= start,
                col(TimelineEntry.occurred_at) <= end,
            )
            .order_by(col(TimelineEntry.occurred_at), col(TimelineEntry.id))
            .limit(1000)
        )
        from_departments = (
            select(DepartmentUpdate)
            .join(Case, col(Case.id) == col(DepartmentUpdate.case_id))
            .where(
                Case.kind == "hazard",
                col(DepartmentUpdate.received_at) >= start,
                col(DepartmentUpdate.received_at) <= end,
            )
            .order_by(col(DepartmentUpdate.received_at))
            .limit(1000)
        )
        async with runtime.sessions() as session:
            entries = list((await session.exec(stmt)).all())
            posted_rows = list((await session.exec(from_departments)).all())
        data = sorted(
            [views.update(e) for e in entries] + [views.department_update(u) for u in posted_rows],
            key=lambda u: (u["_at"], u["update_id"]),
        )[:1000]
        for item in data:
            del item["_at"]
        return render(fmt, "service_requests_updates", "request_update", data)

    @router.post("/servicerequestupdates.{fmt}", summary="A department posts an update")
    async def post_update(fmt: str, request: Request) -> Response:
        """Inbound update from a department's system; idempotent on update_id."""
        fmt = _fmt(fmt)
        form = await request.form(max_files=0, max_fields=100)
        fields, _attrs = split_form(list(form.multi_items()))
        check_jurisdiction(fields, fmt)
        key = await key_from(fields, fmt)
        if not key.department_id:
            raise Open311Problem(403, "api_key: not bound to a department", fmt)
        department_id = key.department_id
        try:
            cmd = DepartmentUpdateIn.model_validate(fields)
        except ValidationError as exc:
            raise _invalid(exc, fmt) from None

        async def action(uow: UnitOfWork) -> Response:
            row = await updates.post_update(cmd, department_id, uow, triage.clock)
            # The id the department's system sent is the one the feed lists.
            body = [{"update_id": row.update_id}]
            return render(fmt, "service_request_updates", "request_update", body)

        digest = idempotency.fingerprint(fields)
        try:
            return await run_once(runtime, request, digest, action)
        except IntakeError as exc:
            raise _problem(exc, fmt) from None

    @router.get("/media/{attachment_id}", summary="A hazard's photo")
    async def media(attachment_id: str) -> Response:
        """Photos of hazards are public like the requests; documents are not served here."""
        return await uploads.public_photo(attachment_id)

    return router


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        return None


def _actor_id(key: ApiKey) -> str:
    return f"open311-{key.id.hex[:12]}"


def _reporter(cmd: Open311Request, fmt: str) -> PersonIn:
    name = " ".join(p for p in (cmd.first_name, cmd.last_name) if p) or "Open311 报告人"
    try:
        return PersonIn(name=name, phone=cmd.phone, email=cmd.email)
    except ValidationError as exc:
        raise _invalid(exc, fmt) from None
