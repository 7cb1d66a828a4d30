"""The reporter's view by tracking code: JSON, or a zh-CN/en HTML page with the fix answer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.intake.domain.commands import AnswerFix
from services.intake.domain.errors import IntakeError, NotFound
from services.intake.domain.tracking import normalise
from services.intake.entrypoints.cases_http import timeline_items
from services.intake.entrypoints.dependencies import AuditDep, IntakeDep, RuntimeDep
from services.intake.entrypoints.idempotent import run_once
from services.intake.entrypoints.personal_fields import TRACKING
from services.intake.entrypoints.problems import as_response
from services.intake.entrypoints.schemas import AttachmentPublic, TimelineItem, TrackingView
from services.intake.service_layer import attachments, idempotency, tracking, views
from services.intake.service_layer.views import EntryRead
from shared.contracts.envelope import Actor
from shared.contracts.glossary import term, written_time
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.fields import names_present
from shared.platform.audit.log import AuditLog
from shared.platform.clock import Clock
from shared.platform.error_docs import JSON_PROBLEM
from shared.platform.masking import mask_personal
from shared.platform.runtime import ServiceRuntime

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
Lang = Literal["zh-CN", "en"]

_STATUS_WORDS: dict[str, tuple[str, str]] = {
    "filed": ("已受理", "Filed"),
    "triaged": ("已分拣", "Triaged"),
    "dispatched": ("已派单", "Sent to the department"),
    "acknowledged": ("部门已接单", "Acknowledged"),
    "in_progress": ("处置中", "Being fixed"),
    "resolved": ("已处置，待您确认", "Fixed — please confirm"),
    "confirmed_fixed": ("已确认修复", "Fix confirmed"),
    "reported_not_fixed": ("反馈未修好", "Reported not fixed"),
    "reopened": ("已重新打开", "Reopened"),
    "closed": ("已办结", "Closed"),
    "duplicate": ("已并入附近同类工单", "Merged with a nearby report"),
    "not_responsible": ("重新派单中", "Being re-routed"),
    "cancelled": ("已撤销", "Cancelled"),
}


def public_timeline(entries: list[EntryRead]) -> list[TimelineItem]:
    """The timeline as a stranger holding the code may see it: every text masked."""
    return [
        item.model_copy(
            update={"text_zh": mask_personal(item.text_zh), "text_en": mask_personal(item.text_en)}
        )
        for item in timeline_items(entries)
    ]


def status_words(status: str, lang: str) -> str:
    """The rider's own words for a state; the glossary's for any other."""
    short = "en" if lang == "en" else "zh"
    if status not in _STATUS_WORDS:
        return term("state", status, short)
    zh, en = _STATUS_WORDS[status]
    return en if lang == "en" else zh


_ANSWERS = frozenset({"reporter.confirmed_fixed", "reporter.reported_not_fixed"})


def answered_since_resolved(entries: list[tuple[str, str]], reporter_id: str) -> bool:
    """This reporter already answered the latest "resolved" (the close is still on its way);
    `entries` are (event type, actor id) in time order. A follower still gets to answer."""
    for event_type, actor_id in reversed(entries):
        if event_type in _ANSWERS and actor_id == reporter_id:
            return True
        if event_type == "hazard.resolved":
            return False
    return False


# The tracking rate limit is added where the app includes this router (app.py).
router = APIRouter(tags=["tracking"])
_pages = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
_pages.filters["local"] = written_time


async def _view(runtime: ServiceRuntime, audit: AuditLog, code: str) -> TrackingView:
    async with runtime.uow() as uow:
        found = await views.tracked(uow, code)
    if found is None:
        raise HTTPException(404, "no ticket with this tracking code")
    own, case, entries = found.own, found.followed, found.entries
    shown = TrackingView(
        tracking_code=own.tracking_code,
        kind=own.kind,
        status=case.status,
        title=mask_personal(own.title),
        can_answer_fix=case.kind == "hazard"
        and case.status == "resolved"
        and not answered_since_resolved(
            [(e.event_type, e.actor_id) for e in entries], found.holder.id
        ),
        merged=case.id != own.id,
        timeline=public_timeline(entries),
        points=found.points,
        attachments=[
            AttachmentPublic(
                attachment_id=a.id,
                media_type=a.media_type,
                size_bytes=a.size_bytes,
                sha256=a.sha256,
                url=f"/track/{own.tracking_code}/attachments/{a.id}",
            )
            for a in found.files
        ],
    )
    fields = names_present(shown, TRACKING)
    await audit.read(actor=found.holder, case_id=own.id, fields=fields, route="/track/{code}")
    return shown


@router.get(
    "/track/{code}",
    response_model=TrackingView,
    responses={
        200: {"content": {"text/html": {}}, "description": "JSON, or HTML for browsers"},
        404: {
            "description": "No such tracking code",
            "content": {"text/html": {"schema": {"type": "string"}}, **JSON_PROBLEM},
        },
    },
)
async def track(
    code: str,
    request: Request,
    runtime: RuntimeDep,
    audit: AuditDep,
    lang: Lang = "zh-CN",
    format: Annotated[Literal["json", "html"] | None, Query()] = None,  # noqa: A002
) -> Response:
    """Where is my ticket? Status and timeline in plain words, no account needed."""
    wants_html = format == "html" or (
        format is None and "text/html" in request.headers.get("accept", "")
    )
    try:
        data = await _view(runtime, audit, code)
    except HTTPException as exc:
        if exc.status_code != 404 or not wants_html:
            raise
        # a mistyped code in a browser: a page in the rider's words, not a JSON error
        missing = _pages.get_template("track_missing.html").render(lang=lang, code=code[:20])
        return HTMLResponse(missing, status_code=404)
    if not wants_html:
        return JSONResponse(jsonable_encoder(data))
    answered = request.query_params.get("answered", "")
    page = _pages.get_template("track.html").render(
        t=data, lang=lang, status=status_words(data.status, lang), answered=answered
    )
    return HTMLResponse(page)


@router.post(
    "/track/{code}/answer",
    response_model=TrackingView,
    responses={404: {"description": "No such code"}, 409: {"description": "Not resolved"}},
)
async def answer(
    code: str,
    cmd: AnswerFix,
    request: Request,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """The reporter answers "is it fixed?" (修好了吗？) for a resolved hazard."""
    failed = await _answer(runtime, intake.context.clock, code, cmd, request)
    if failed is not None:
        return failed
    return JSONResponse(jsonable_encoder(await _view(runtime, intake.audit, code)))


@router.post("/track/{code}/answer-form", include_in_schema=False)
async def answer_form(
    code: str,
    request: Request,
    runtime: RuntimeDep,
    intake: IntakeDep,
    fixed: Annotated[Literal["yes", "no"], Form()],
    note: Annotated[str, Form(max_length=1000)] = "",
    lang: Annotated[Lang, Form()] = "zh-CN",
) -> Response:
    """The HTML page's form: same use case, then back to the page."""
    cmd = AnswerFix(fixed=fixed == "yes", note=note)
    failed = await _answer(runtime, intake.context.clock, code, cmd, request)
    if failed is not None:
        return failed
    target = f"/track/{normalise(code)}?format=html&lang={lang}&answered={fixed}"
    return RedirectResponse(target, status_code=303)


async def _answer(
    runtime: ServiceRuntime, clock: Clock, code: str, cmd: AnswerFix, request: Request
) -> Response | None:
    async def action(uow: UnitOfWork) -> Response:
        await tracking.answer_fix(code, cmd, uow, clock)
        return Response(status_code=200)

    digest = idempotency.fingerprint(cmd.model_dump() | {"code": normalise(code)})
    try:
        await run_once(runtime, request, digest, action)
    except IntakeError as exc:
        if isinstance(exc, NotFound):
            raise HTTPException(404, "no ticket with this tracking code") from exc
        return as_response(exc)
    return None


@router.post(
    "/track/{code}/attachments",
    status_code=201,
    response_model=AttachmentPublic,
    responses={413: {"description": "Too large"}, 415: {"description": "Not allowed type"}},
)
async def upload(
    code: str,
    request: Request,
    runtime: RuntimeDep,
    intake: IntakeDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """The reporter adds a photo or document to their own ticket."""
    uploads = intake.uploads
    try:
        got = await uploads.read(file)
    except IntakeError as exc:
        return as_response(exc)
    assert got is not None

    async def action(uow: UnitOfWork) -> Response:
        own = await views.case_by_code(uow.session, code)
        if own is None:
            raise NotFound(code)
        case = await attachments.case_for_upload(uow, own.id)
        by = Actor(role="reporter", id="tracking")
        row = await attachments.attach(
            case, got.data, got.filename, uow, by, uploads.store, uploads.clock, uploads.max_bytes
        )
        holder = await views.holder(uow.session, case.id)
        await intake.audit.add(
            uow.session,
            "upload",
            actor=holder,
            case_id=case.id,
            fields=["attachments"],
            route="/track/{code}/attachments",
        )
        body = AttachmentPublic(
            attachment_id=row.id,
            media_type=row.media_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
            url=f"/track/{case.tracking_code}/attachments/{row.id}",
        )
        return JSONResponse(jsonable_encoder(body), status_code=201)

    digest = idempotency.fingerprint({"code": normalise(code), "sha256": got.sha256})
    try:
        return await run_once(runtime, request, digest, action)
    except IntakeError as exc:
        return as_response(exc)


@router.get("/track/{code}/attachments/{attachment_id}")
async def download(
    code: str, attachment_id: str, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """A file of the ticket, for whoever holds its tracking code."""
    async with runtime.sessions() as session:
        case = await views.case_by_code(session, code)
        try:
            if case is None:
                raise NotFound(code)
            row = await views.attachment_of_case(session, case.id, attachment_id[:32])
            reporter = await views.holder(session, case.id)
        except IntakeError as exc:
            return as_response(exc)
    await intake.audit.read(
        "download",
        actor=reporter,
        case_id=case.id,
        fields=["attachments"],
        route="/track/{code}/attachments/{attachment_id}",
    )
    return intake.uploads.serve(row)
