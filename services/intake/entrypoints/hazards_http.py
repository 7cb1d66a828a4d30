"""Hazards filed by officers: triaged (category, jurisdiction, urgency), merged if a duplicate."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.intake.domain.commands import FileHazard
from services.intake.entrypoints.case_access import officer
from services.intake.entrypoints.case_answers import filed, filed_answer, filing_fields, once
from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.entrypoints.schemas import Filed
from services.intake.service_layer import filing
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED, ActorDep

router = APIRouter(tags=["officer"], dependencies=[*AUTHENTICATED, *AuditCaller])


@router.post(
    "/api/v1/hazards",
    status_code=201,
    response_model=Filed,
    responses={400: {"description": "Outside the service area"}, 409: {"description": "Key"}},
)
async def post_hazard(
    cmd: FileHazard, request: Request, actor: ActorDep, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """File a hazard: triaged (category, jurisdiction, urgency), merged if a duplicate."""

    async def action(uow: UnitOfWork) -> Response:
        officer(actor)
        case = await filing.file_hazard(cmd, uow, actor, intake.context, "officer")
        await intake.audit.add(
            uow.session, "create", actor=actor, case_id=case.id, fields=filing_fields(cmd)
        )
        return filed_answer(filed(case, intake.settings, cmd.reporter))

    return await once(runtime, request, lambda: cmd.model_dump(mode="json"), action)
