"""Intake's cases for officers, the committee, departments, mediators and parties: the list,
one case with its parties, timeline and attachments, and the officers' corrections."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from services.intake.domain.commands import CorrectCase, SplitCase
from services.intake.domain.privacy import mask_phone
from services.intake.entrypoints import personal_fields
from services.intake.entrypoints.case_access import (
    NOT_CODE_HOLDERS,
    READERS,
    granted,
    is_case_mediator,
    is_party,
    may_read,
    officer,
)
from services.intake.entrypoints.case_answers import json_answer, once
from services.intake.entrypoints.dependencies import AuditDep, Intake, IntakeDep, RuntimeDep
from services.intake.entrypoints.schemas import (
    AttachmentPublic,
    CasePage,
    CasePublic,
    CaseSummary,
    DateTimeFilter,
    PartyPublic,
    TimelineItem,
)
from services.intake.service_layer import corrections, views
from services.intake.service_layer.views import CaseQuery, CaseRead, EntryRead, PartyRead
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.fields import names_present
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED, ActorDep, caller_token
from shared.platform.masking import case_reference
from shared.platform.runtime import ServiceRuntime

router = APIRouter(tags=["officer"], dependencies=[*AUTHENTICATED, *AuditCaller])


def timeline_items(entries: list[EntryRead]) -> list[TimelineItem]:
    return [TimelineItem.model_validate(e, from_attributes=True) for e in entries]


def _party(p: PartyRead) -> PartyPublic:
    return PartyPublic(
        role=p.role,
        party_id=p.party_id,
        name=p.name,
        phone_masked=mask_phone(p.phone) if p.phone else None,
        org_code=p.org_code,
    )


def _encode_cursor(case: CaseRead) -> str:
    return base64.urlsafe_b64encode(f"{case.created_at.isoformat()}|{case.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), uuid.UUID(case_id)
    except Exception as exc:
        raise HTTPException(400, "cursor: not a cursor this API gave out") from exc


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


def _party_for(actor: Actor, p: PartyRead, *, contacts: bool = False) -> PartyPublic:
    """Staff see masked phones; anyone else sees a phone only on their own party.
    The dispute's mediator (`contacts`) sees how to reach each party: phone and e-mail."""
    shown = _party(p)
    if contacts:
        return shown.model_copy(update={"phone": p.phone, "email": p.email})
    if actor.role in READERS or (p.party_id == actor.id and p.role == actor.role):
        return shown
    return shown.model_copy(update={"phone_masked": None})


async def case_public(
    runtime: ServiceRuntime,
    intake: Intake,
    case_id: uuid.UUID,
    actor: Actor,
    token: str | None = None,
) -> CasePublic:
    """One case as `actor` may read it (403/404 otherwise); the read is audited."""
    async with runtime.sessions() as session:
        found = await views.case_with_parties(session, case_id)
    if found is None:
        raise HTTPException(404, "no such case")
    case, parties = found
    mediating = is_case_mediator(actor, case) or await granted(actor, case, token, intake.mediation)
    if not (may_read(actor, case) or is_party(actor, parties) or mediating):
        raise HTTPException(403, "you may not see this case")
    async with runtime.sessions() as session:
        timeline, files = await views.case_record(session, case_id)
    view = CasePublic(
        case_id=case.id,
        **case.model_dump(
            exclude={"id", "status_at", "channel", "open311_token", "parent_case_id", "media_url"}
        ),
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
    await intake.audit.read(actor=actor, case_id=case.id, fields=fields)
    return view


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
    runtime: RuntimeDep,
    audit: AuditDep,
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
    department_id = None
    if actor.role == "department":  # only the hazards dispatched to it
        department_id = actor.id
    elif actor.role not in READERS:
        raise HTTPException(403, f"a {actor.role} may not list cases")
    query = CaseQuery(
        department_id=department_id,
        kind=kind,
        status=status,
        category=category,
        jurisdiction=jurisdiction,
        tracking_code=tracking_code,
        filed_from=filed_from,
        filed_to=filed_to,
        respondent=respondent,
        after=_decode_cursor(cursor) if cursor else None,
    )
    async with runtime.sessions() as session:
        rows = await views.case_list(session, query, limit + 1)
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


@router.get(
    "/api/v1/cases/{case_id}",
    response_model=CasePublic,
    responses={403: {"description": "Not yours"}, 404: {"description": "No such case"}},
)
async def get_case(
    case_id: uuid.UUID, request: Request, actor: ActorDep, runtime: RuntimeDep, intake: IntakeDep
) -> CasePublic:
    """One case with its parties (phones masked), attachments and whole timeline; the
    dispute's mediator (assigned, or granted by the committee) reads the parties' contacts,
    the claim, the facts and the desired outcome in full."""
    return await case_public(runtime, intake, case_id, actor, caller_token(request))


@router.post(
    "/api/v1/cases/{case_id}/correct",
    response_model=CasePublic,
    responses={403: {"description": "Not an officer"}, 409: {"description": "Finished"}},
)
async def correct(
    case_id: uuid.UUID,
    cmd: CorrectCase,
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """Correct the category or location: re-triaged, re-routed, on the timeline."""
    return await officer_changes(
        case_id,
        cmd,
        request,
        actor,
        runtime,
        intake,
        lambda uow: corrections.correct_case(case_id, cmd, uow, actor, intake.context),
        audited=personal_fields.CORRECTION,
    )


@router.post(
    "/api/v1/cases/{case_id}/split",
    response_model=CasePublic,
    responses={409: {"description": "Not merged"}},
)
async def split(
    case_id: uuid.UUID,
    cmd: SplitCase,
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """Undo a wrong duplicate merge: the case is handled on its own again."""
    return await officer_changes(
        case_id,
        cmd,
        request,
        actor,
        runtime,
        intake,
        lambda uow: corrections.split_case(case_id, cmd, uow, actor, intake.context),
    )


async def officer_changes(
    case_id: uuid.UUID,
    cmd: BaseModel,
    request: Request,
    actor: Actor,
    runtime: ServiceRuntime,
    intake: Intake,
    change: Callable[[UnitOfWork], Awaitable[object]],
    audited: frozenset[str] | None = None,
) -> Response:
    """An officer's change to one case, run at most once per Idempotency-Key, answered with the
    case as the officer now sees it; the personal fields in `audited` that `cmd` fills are
    written to the audit log in the change's transaction."""

    async def action(uow: UnitOfWork) -> Response:
        officer(actor)
        if audited is not None:
            fields = names_present(cmd, audited)
            await intake.audit.add(
                uow.session, "update", actor=actor, case_id=case_id, fields=fields
            )
        await change(uow)
        return Response(status_code=200)

    body = cmd.model_dump(mode="json") | {"case": str(case_id)}
    done = await once(runtime, request, body, action)
    if done.status_code != 200:
        return done
    return json_answer(await case_public(runtime, intake, case_id, actor))
