"""Labour disputes filed by officers: a dispute (or a group's), workers joining a group later,
and the supplement (补充申请材料) of an application still awaiting acceptance."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.intake.domain.commands import AddMembers, FileDispute, SupplementDispute
from services.intake.entrypoints import personal_fields
from services.intake.entrypoints.case_access import officer
from services.intake.entrypoints.case_answers import (
    filed,
    filed_answer,
    filing_fields,
    json_answer,
    once,
)
from services.intake.entrypoints.cases_http import officer_changes
from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.entrypoints.schemas import CasePublic, Filed, MemberFiled
from services.intake.service_layer import filing, supplements
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED, ActorDep

router = APIRouter(tags=["officer"], dependencies=[*AUTHENTICATED, *AuditCaller])


@router.post(
    "/api/v1/disputes",
    status_code=201,
    response_model=Filed,
    responses={409: {"description": "Idempotency-Key reused with another body"}},
)
async def post_dispute(
    cmd: FileDispute, request: Request, actor: ActorDep, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """File a labour dispute (also an oral application, stamped with the server's time)."""

    async def action(uow: UnitOfWork) -> Response:
        officer(actor)
        if cmd.members is not None:
            case, members = await filing.file_group_dispute(cmd, uow, actor, intake.context)
        else:
            case, members = await filing.file_dispute(cmd, uow, actor, intake.context), []
        await intake.audit.add(
            uow.session, "create", actor=actor, case_id=case.id, fields=filing_fields(cmd)
        )
        answer = filed(case, intake.settings, cmd.applicant)
        answer.members = [MemberFiled(case_id=m.id, tracking_code=m.tracking_code) for m in members]
        return filed_answer(answer)

    return await once(runtime, request, lambda: cmd.model_dump(mode="json"), action)


@router.post(
    "/api/v1/disputes/{case_id}/members",
    status_code=201,
    response_model=list[MemberFiled],
    responses={404: {"description": "No such dispute"}, 409: {"description": "Not a group"}},
)
async def post_members(
    case_id: uuid.UUID,
    cmd: AddMembers,
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """Workers who join a group dispute later: each gets a member case of the group."""

    async def action(uow: UnitOfWork) -> Response:
        officer(actor)
        cases = await filing.add_members(case_id, cmd, uow, actor, intake.context)
        await intake.audit.add(
            uow.session, "create", actor=actor, case_id=case_id, fields=filing_fields(cmd)
        )
        body = [MemberFiled(case_id=c.id, tracking_code=c.tracking_code) for c in cases]
        return json_answer(body, 201)

    body = {"case_id": str(case_id)} | cmd.model_dump(mode="json")
    return await once(runtime, request, body, action)


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
    case_id: uuid.UUID,
    cmd: SupplementDispute,
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """补充申请材料: complete an application still awaiting the committee's acceptance."""
    return await officer_changes(
        case_id,
        cmd,
        request,
        actor,
        runtime,
        intake,
        lambda uow: supplements.supplement_dispute(case_id, cmd, uow, actor, intake.context),
        audited=personal_fields.SUPPLEMENT,
    )
