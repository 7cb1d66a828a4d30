"""A case's photos and documents: added by whoever may add to the case, read by whoever may
read it (and by the dispute's granted mediator)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from services.intake.domain.errors import Forbidden, IntakeError, NotFound
from services.intake.entrypoints.case_access import granted, may_read, supports_only
from services.intake.entrypoints.case_answers import json_answer, once
from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.entrypoints.problems import as_response
from services.intake.entrypoints.schemas import AttachmentPublic
from services.intake.service_layer import attachments, views
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED, ActorDep, caller_token

router = APIRouter(tags=["officer"], dependencies=[*AUTHENTICATED, *AuditCaller])


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
    runtime: RuntimeDep,
    intake: IntakeDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG, WebP or PDF")],
) -> Response:
    """Attach a photo or document to a case (stored once per content hash)."""
    uploads = intake.uploads
    try:
        got = await uploads.read(file)
    except IntakeError as exc:
        return as_response(exc)
    assert got is not None

    async def action(uow: UnitOfWork) -> Response:
        case = await attachments.case_for_upload(uow, case_id)
        shown = views.as_case(case)
        # mediators, and a compound's supporting body, read
        if actor.role == "mediator" or supports_only(actor, shown) or not may_read(actor, shown):
            raise Forbidden("you may not add to this case")
        row = await attachments.attach(
            case,
            got.data,
            got.filename,
            uow,
            actor,
            uploads.store,
            uploads.clock,
            uploads.max_bytes,
        )
        await intake.audit.add(
            uow.session, "upload", actor=actor, case_id=case_id, fields=["attachments"]
        )
        url = f"/api/v1/cases/{case_id}/attachments/{row.id}"
        return json_answer(
            AttachmentPublic(
                attachment_id=row.id,
                media_type=row.media_type,
                size_bytes=row.size_bytes,
                sha256=row.sha256,
                url=url,
            ),
            201,
        )

    return await once(runtime, request, {"case": str(case_id), "sha256": got.sha256}, action)


@router.get(
    "/api/v1/cases/{case_id}/attachments/{attachment_id}",
    responses={403: {"description": "Not allowed"}, 404: {"description": "No such file"}},
)
async def download(
    case_id: uuid.UUID,
    attachment_id: str,
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> Response:
    """The file, for officers, the department the hazard is dispatched to and the
    dispute's mediator (its documents)."""
    async with runtime.sessions() as session:
        case = await views.case(session, case_id)
        try:
            if case is None:
                raise NotFound(str(case_id))
            row = await views.attachment_of_case(session, case_id, attachment_id[:32])
        except IntakeError as exc:
            return as_response(exc)
    token = caller_token(request)
    if not (may_read(actor, case) or await granted(actor, case, token, intake.mediation)):
        return as_response(Forbidden("you may not see this case's files"))
    await intake.audit.read("download", actor=actor, case_id=case_id, fields=["attachments"])
    return intake.uploads.serve(row)
