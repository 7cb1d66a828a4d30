"""Intake's officer API: decode, call a use case, shape the answer."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlmodel import col, or_, select

from services.intake.adapters import repository
from services.intake.adapters.mediation_access import MediationAccess
from services.intake.adapters.tables import Case, Party, TimelineEntry
from services.intake.domain.commands import (
    AddMembers,
    CorrectCase,
    FileDispute,
    FileHazard,
    PersonIn,
    SplitCase,
    SupplementDispute,
)
from services.intake.domain.errors import Forbidden, IntakeError, NotFound
from services.intake.domain.privacy import mask_phone
from services.intake.domain.tracking import follow_notice, normalise
from services.intake.entrypoints import personal_fields
from services.intake.entrypoints.idempotent import run_once
from services.intake.entrypoints.problems import as_response
from services.intake.entrypoints.schemas import (
    AttachmentPublic,
    CasePage,
    CasePublic,
    CaseSummary,
    DateTimeFilter,
    Filed,
    MemberFiled,
    PartyPublic,
    TimelineItem,
)
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer import (
    attachments,
    corrections,
    filing,
    idempotency,
    supplements,
)
from services.intake.service_layer.triage import Triage
from shared.audit.fields import names_present
from shared.audit.http import AuditCaller
from shared.audit.log import AuditLog
from shared.auth.dependency import AUTHENTICATED, caller_token, current_actor
from shared.contracts.envelope import Actor
from shared.masking import case_reference
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

OFFICERS = frozenset({"intake_officer", "admin"})
READERS = frozenset({"intake_officer", "admin", "committee"})
ActorDep = Annotated[Actor, Depends(current_actor)]


def timeline_items(entries: list[TimelineEntry]) -> list[TimelineItem]:
    return [TimelineItem.model_validate(e, from_attributes=True) for e in entries]


def _filed(case: Case, notices: Notices, runner: PersonIn) -> Filed:
    zh, en = follow_notice(
        case.tracking_code,
        f"{notices.self_url.rstrip('/')}/track/{case.tracking_code}",
        email=runner.email is not None,
        phone=bool(runner.phone),
        sms=notices.sms,
    )
    return Filed(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        kind=case.kind,
        jurisdiction=case.jurisdiction,
        duplicate_of=case.duplicate_of,
        follow_up=zh,
        follow_up_en=en,
    )


@dataclass(frozen=True)
class Notices:
    """What the filing answer promises the runner: intake's public URL, and whether notify
    texts riders without e-mail."""

    self_url: str
    sms: bool


def _filing(cmd: FileDispute | FileHazard | AddMembers) -> list[str]:
    return names_present(cmd, personal_fields.FILING)


def _party(p: Party) -> PartyPublic:
    return PartyPublic(
        role=p.role,
        party_id=p.party_id,
        name=p.name,
        phone_masked=mask_phone(p.phone) if p.phone else None,
        org_code=p.org_code,
    )


def _encode_cursor(case: Case) -> str:
    return base64.urlsafe_b64encode(f"{case.created_at.isoformat()}|{case.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), uuid.UUID(case_id)
    except Exception as exc:
        raise HTTPException(400, "cursor: not a cursor this API gave out") from exc


def _json(model: object, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable_encoder(model), status_code=status)


def _officer(actor: Actor) -> None:
    if actor.role not in OFFICERS:
        raise Forbidden(f"a {actor.role} may not change a case")


def may_read(actor: Actor, case: Case) -> bool:
    """Officers and the committee read every case; a department only hazards sent to it, a
    supervisor (a department of the escalation chain) those escalated to it, and the other body
    of a compound a report is linked to (配合处理) that report."""
    if actor.role in READERS:
        return True
    if actor.role == "mediator":
        return is_case_mediator(actor, case)
    if actor.role != "department":
        return False
    if case.department_id == actor.id or actor.id in case.details.get("supervisors", []):
        return True
    return supports_only(actor, case)


def supports_only(actor: Actor, case: Case) -> bool:
    """The compound's other body, not the department the report is dispatched to: it reads
    the report (配合处理) and adds nothing to it."""
    return (
        actor.role == "department"
        and case.department_id != actor.id
        and actor.id in case.details.get("supporting", [])
    )


def is_case_mediator(actor: Actor, case: Case) -> bool:
    """The mediator assigned to the dispute (the latest assignment intake has seen)."""
    return actor.role == "mediator" and case.details.get("mediator_id") == actor.id


def is_party(actor: Actor, parties: list[Party]) -> bool:
    """The caller is named on the case: its reporter/complainant, or a respondent company."""
    for p in parties:
        runner = actor.role in ("reporter", "complainant") and p.role == actor.role
        if runner and p.party_id == actor.id:
            return True
        company = actor.role == "respondent" and p.role == "respondent" and p.org_code
        if company and actor.id == f"org-{p.org_code}":
            return True
    return False


# A ticket's tracking code is its rider's credential (answering, uploading): the department
# working it, its supervisors and a respondent company read the case's reference instead.
NOT_CODE_HOLDERS = frozenset({"department", "respondent"})


def without_code(view: CasePublic, code: str, reference: str) -> CasePublic:
    """The case as a non-holder reads it: the code replaced, also where the timeline names it
    (and named as what it now is, the case's number, not a tracking code)."""
    timeline = [
        item.model_copy(
            update={
                "text_zh": item.text_zh.replace(f"查询码 {code}", f"案件编号 {reference}").replace(
                    code, reference
                ),
                "text_en": item.text_en.replace(
                    f"tracking code {code}", f"case number {reference}"
                ).replace(code, reference),
            }
        )
        for item in view.timeline
    ]
    return view.model_copy(update={"tracking_code": reference, "timeline": timeline})


def _summary_for(actor: Actor, row: CaseSummary) -> CaseSummary:
    if actor.role not in NOT_CODE_HOLDERS:
        return row
    return row.model_copy(update={"tracking_code": case_reference(row.case_id)})


def _party_for(actor: Actor, p: Party, *, contacts: bool = False) -> PartyPublic:
    """Staff see masked phones; anyone else sees a phone only on their own party.
    The dispute's mediator (`contacts`) sees how to reach each party: phone and e-mail."""
    shown = _party(p)
    if contacts:
        return shown.model_copy(update={"phone": p.phone, "email": p.email})
    if actor.role in READERS or (p.party_id == actor.id and p.role == actor.role):
        return shown
    return shown.model_copy(update={"phone_masked": None})


def build_router(
    runtime: ServiceRuntime,
    triage: Triage,
    uploads: Uploads,
    audit: AuditLog,
    mediation: MediationAccess,
    notices: Notices,
) -> APIRouter:
    router = APIRouter(tags=["officer"], dependencies=[*AUTHENTICATED, *AuditCaller])

    async def once(request: Request, body: object, action: object) -> Response:
        try:
            return await run_once(runtime, request, idempotency.fingerprint(body), action)  # type: ignore[arg-type]
        except IntakeError as exc:
            return as_response(exc)

    @router.post(
        "/api/v1/disputes",
        status_code=201,
        response_model=Filed,
        responses={409: {"description": "Idempotency-Key reused with another body"}},
    )
    async def post_dispute(cmd: FileDispute, request: Request, actor: ActorDep) -> Response:
        """File a labour dispute (also an oral application, stamped with the server's time)."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            members: list[Case] = []
            if cmd.members is not None:
                case, members = await filing.file_group_dispute(cmd, uow, actor, triage)
            else:
                case = await filing.file_dispute(cmd, uow, actor, triage)
            await audit.add(
                uow.session, "create", actor=actor, case_id=case.id, fields=_filing(cmd)
            )
            filed = _filed(case, notices, cmd.applicant)
            filed.members = [
                MemberFiled(case_id=m.id, tracking_code=m.tracking_code) for m in members
            ]
            return _json(filed, 201)

        return await once(request, cmd.model_dump(mode="json"), action)

    @router.post(
        "/api/v1/disputes/{case_id}/members",
        status_code=201,
        response_model=list[MemberFiled],
        responses={404: {"description": "No such dispute"}, 409: {"description": "Not a group"}},
    )
    async def post_members(
        case_id: uuid.UUID, cmd: AddMembers, request: Request, actor: ActorDep
    ) -> Response:
        """Workers who join a group dispute later: each gets a member case of the group."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            cases = await filing.add_members(case_id, cmd, uow, actor, triage)
            await audit.add(
                uow.session, "create", actor=actor, case_id=case_id, fields=_filing(cmd)
            )
            body = [MemberFiled(case_id=c.id, tracking_code=c.tracking_code) for c in cases]
            return JSONResponse(jsonable_encoder(body), status_code=201)

        return await once(request, {"case_id": str(case_id)} | cmd.model_dump(mode="json"), action)

    @router.post(
        "/api/v1/hazards",
        status_code=201,
        response_model=Filed,
        responses={400: {"description": "Outside the service area"}, 409: {"description": "Key"}},
    )
    async def post_hazard(cmd: FileHazard, request: Request, actor: ActorDep) -> Response:
        """File a hazard: triaged (category, jurisdiction, urgency), merged if a duplicate."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            case = await filing.file_hazard(cmd, uow, actor, triage, "officer")
            await audit.add(
                uow.session, "create", actor=actor, case_id=case.id, fields=_filing(cmd)
            )
            return _json(_filed(case, notices, cmd.reporter), 201)

        return await once(request, cmd.model_dump(mode="json"), action)

    @router.get(
        "/api/v1/cases",
        response_model=CasePage,
        responses={
            400: {"description": "Not a cursor this API gave out"},
            403: {"description": "Role"},
        },
    )
    async def list_cases(
        actor: ActorDep,
        kind: Literal["dispute", "hazard"] | None = None,
        status: Annotated[str | None, Query(max_length=40)] = None,
        category: Annotated[str | None, Query(max_length=40)] = None,
        jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
        respondent: Annotated[
            str | None, Query(min_length=1, max_length=100, description="name or org code")
        ] = None,
        tracking_code: Annotated[
            str | None, Query(min_length=1, max_length=20, description="查询码 the exact code")
        ] = None,
        filed_from: DateTimeFilter | None = None,
        filed_to: DateTimeFilter | None = None,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> CasePage:
        """List cases, newest first, with filters and a cursor."""
        stmt = select(Case)
        if actor.role == "department":  # only the hazards dispatched to it
            stmt = stmt.where(Case.department_id == actor.id)
        elif actor.role not in READERS:
            raise HTTPException(403, f"a {actor.role} may not list cases")
        for column, value in (
            (Case.kind, kind),
            (Case.status, status),
            (Case.category, category),
            (Case.jurisdiction, jurisdiction),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if tracking_code is not None:  # as the runner reads it out: any case, no dashes
            stmt = stmt.where(Case.tracking_code == normalise(tracking_code))
        if filed_from is not None:
            stmt = stmt.where(col(Case.created_at) >= filed_from)
        if filed_to is not None:
            stmt = stmt.where(col(Case.created_at) < filed_to)
        if respondent is not None:
            named = select(Party.case_id).where(
                Party.role == "respondent",
                or_(col(Party.name).contains(respondent), Party.org_code == respondent),
            )
            stmt = stmt.where(col(Case.id).in_(named))
        if cursor:
            at, last_id = _decode_cursor(cursor)
            stmt = stmt.where(
                or_(
                    col(Case.created_at) < at,
                    (col(Case.created_at) == at) & (col(Case.id) < last_id),
                )
            )
        stmt = stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc()).limit(limit + 1)
        async with runtime.sessions() as session:
            rows = list((await session.exec(stmt)).all())
        page = rows[:limit]
        summary = set(CaseSummary.model_fields)
        found = CasePage(
            items=[
                _summary_for(
                    actor,
                    CaseSummary(
                        case_id=c.id,
                        escalated=bool(c.details.get("supervisors")),
                        **c.model_dump(include=summary - {"escalated"}),
                    ),
                )
                for c in page
            ],
            next_cursor=_encode_cursor(page[-1]) if len(rows) > limit else None,
        )
        fields = names_present(found.items, personal_fields.CASE_LIST)
        await audit.read("list", actor=actor, fields=fields, case_ids=[c.id for c in page])
        return found

    async def granted(actor: Actor, case: Case, token: str | None) -> bool:
        """A mediator the committee granted this dispute (mediation says so to the caller)."""
        if actor.role != "mediator" or case.kind != "dispute" or not token:
            return False
        return await mediation.may_read(case.id, token)

    async def _case_public(
        case_id: uuid.UUID, actor: Actor, token: str | None = None
    ) -> CasePublic:
        async with runtime.sessions() as session:
            case = await repository.get_case(session, case_id)
            if case is None:
                raise HTTPException(404, "no such case")
            parties = await repository.parties_of(session, case_id)
        mediating = is_case_mediator(actor, case) or await granted(actor, case, token)
        if not (may_read(actor, case) or is_party(actor, parties) or mediating):
            raise HTTPException(403, "you may not see this case")
        async with runtime.sessions() as session:
            timeline = await repository.timeline_of(session, case_id)
            files = await attachments.attachments_of(session, [case_id])
        view = CasePublic(
            case_id=case.id,
            **case.model_dump(exclude={"id", "status_at", "channel", "open311_token"}),
            parties=[_party_for(actor, p, contacts=mediating) for p in parties],
            timeline=timeline_items(timeline),
            attachments=[
                AttachmentPublic(
                    attachment_id=a.id,
                    media_type=a.media_type,
                    size_bytes=a.size_bytes,
                    sha256=a.sha256,
                    url=f"/api/v1/cases/{case.id}/attachments/{a.id}",
                )
                for a in files
            ],
        )
        if actor.role in NOT_CODE_HOLDERS:
            view = without_code(view, case.tracking_code, case_reference(case.id))
        fields = names_present(view, personal_fields.CASE)
        await audit.read(actor=actor, case_id=case.id, fields=fields)
        return view

    @router.get(
        "/api/v1/cases/{case_id}",
        response_model=CasePublic,
        responses={403: {"description": "Not yours"}, 404: {"description": "No such case"}},
    )
    async def get_case(case_id: uuid.UUID, request: Request, actor: ActorDep) -> CasePublic:
        """One case with its parties (phones masked), attachments and whole timeline; the
        dispute's mediator (assigned, or granted by the committee) reads the parties' contacts,
        the claim, the facts and the desired outcome in full."""
        return await _case_public(case_id, actor, caller_token(request))

    @router.post(
        "/api/v1/cases/{case_id}/correct",
        response_model=CasePublic,
        responses={403: {"description": "Not an officer"}, 409: {"description": "Finished"}},
    )
    async def correct(
        case_id: uuid.UUID, cmd: CorrectCase, request: Request, actor: ActorDep
    ) -> Response:
        """Correct the category or location: re-triaged, re-routed, on the timeline."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            fields = names_present(cmd, personal_fields.CORRECTION)
            await audit.add(uow.session, "update", actor=actor, case_id=case_id, fields=fields)
            await corrections.correct_case(case_id, cmd, uow, actor, triage)
            return Response(status_code=200)

        done = await once(request, cmd.model_dump(mode="json") | {"case": str(case_id)}, action)
        return done if done.status_code != 200 else _json(await _case_public(case_id, actor))

    @router.post(
        "/api/v1/disputes/{case_id}/supplement",
        response_model=CasePublic,
        responses={
            403: {"description": "Not an officer"},
            404: {"description": "No such dispute"},
            409: {"description": "No longer awaiting acceptance, or a group dispute"},
        },
    )
    async def supplement(
        case_id: uuid.UUID, cmd: SupplementDispute, request: Request, actor: ActorDep
    ) -> Response:
        """补充申请材料: complete an application still awaiting the committee's acceptance."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            fields = names_present(cmd, personal_fields.SUPPLEMENT)
            await audit.add(uow.session, "update", actor=actor, case_id=case_id, fields=fields)
            await supplements.supplement_dispute(case_id, cmd, uow, actor, triage)
            return Response(status_code=200)

        done = await once(request, cmd.model_dump(mode="json") | {"case": str(case_id)}, action)
        return done if done.status_code != 200 else _json(await _case_public(case_id, actor))

    @router.post(
        "/api/v1/cases/{case_id}/split",
        response_model=CasePublic,
        responses={409: {"description": "Not merged"}},
    )
    async def split(
        case_id: uuid.UUID, cmd: SplitCase, request: Request, actor: ActorDep
    ) -> Response:
        """Undo a wrong duplicate merge: the case is handled on its own again."""

        async def action(uow: UnitOfWork) -> Response:
            _officer(actor)
            await corrections.split_case(case_id, cmd, uow, actor, triage)
            return Response(status_code=200)

        done = await once(request, cmd.model_dump(mode="json") | {"case": str(case_id)}, action)
        return done if done.status_code != 200 else _json(await _case_public(case_id, actor))

    @router.post(
        "/api/v1/cases/{case_id}/attachments",
        status_code=201,
        response_model=AttachmentPublic,
        responses={413: {"description": "Too large"}, 415: {"description": "Not an allowed type"}},
    )
    async def upload(
        case_id: uuid.UUID,
        request: Request,
        actor: ActorDep,
        file: Annotated[UploadFile, File(description="JPEG, PNG, WebP or PDF")],
    ) -> Response:
        """Attach a photo or document to a case (stored once per content hash)."""
        try:
            got = await uploads.read(file)
        except IntakeError as exc:
            return as_response(exc)
        assert got is not None

        async def action(uow: UnitOfWork) -> Response:
            case = await attachments.case_for_upload(uow, case_id)
            # mediators, and a compound's supporting body, read
            if actor.role == "mediator" or supports_only(actor, case) or not may_read(actor, case):
                raise Forbidden("you may not add to this case")
            row = await uploads.attach(case, got, uow, actor)
            await audit.add(
                uow.session, "upload", actor=actor, case_id=case_id, fields=["attachments"]
            )
            url = f"/api/v1/cases/{case_id}/attachments/{row.id}"
            return _json(
                AttachmentPublic(
                    attachment_id=row.id,
                    media_type=row.media_type,
                    size_bytes=row.size_bytes,
                    sha256=row.sha256,
                    url=url,
                ),
                201,
            )

        return await once(request, {"case": str(case_id), "sha256": got.sha256}, action)

    @router.get(
        "/api/v1/cases/{case_id}/attachments/{attachment_id}",
        responses={403: {"description": "Not allowed"}, 404: {"description": "No such file"}},
    )
    async def download(
        case_id: uuid.UUID, attachment_id: str, request: Request, actor: ActorDep
    ) -> Response:
        """The file, for officers, the department the hazard is dispatched to and the
        dispute's mediator (its documents)."""
        async with runtime.sessions() as session:
            case = await repository.get_case(session, case_id)
            try:
                if case is None:
                    raise NotFound(str(case_id))
                row = await attachments.attachment_of_case(session, case_id, attachment_id[:32])
            except IntakeError as exc:
                return as_response(exc)
        if not (may_read(actor, case) or await granted(actor, case, caller_token(request))):
            return as_response(Forbidden("you may not see this case's files"))
        await audit.read("download", actor=actor, case_id=case_id, fields=["attachments"])
        return uploads.serve(row)

    return router
