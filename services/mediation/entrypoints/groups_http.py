"""A group dispute (LDMAL 7): the representatives its members elected and each member's line
of the group agreement."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from services.mediation.entrypoints.dependencies import ActorDep
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.schemas import DisputePublic, PerformanceIn, RepresentativesIn
from services.mediation.entrypoints.use_cases import StepsDep
from services.mediation.service_layer import groups
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/disputes", tags=["disputes"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


@router.post("/{case_id}/representatives", response_model=DisputePublic, responses=ERRORS)
async def representatives(
    case_id: uuid.UUID, body: RepresentativesIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Record the representatives a group dispute's members elected (LDMAL 7)."""
    return await steps.run(
        steps.changing(
            ["representatives"],
            lambda uow: groups.elect_representatives(case_id, body.party_ids, actor, uow),
        )
    )


@router.post(
    "/{case_id}/members/{member_case_id}/performance",
    response_model=DisputePublic,
    responses=ERRORS,
)
async def member_performance(
    case_id: uuid.UUID,
    member_case_id: uuid.UUID,
    body: PerformanceIn,
    actor: ActorDep,
    steps: StepsDep,
) -> DisputePublic:
    """Record whether one member's line of the group agreement was performed."""
    return await steps.run(
        lambda uow: groups.record_member_performance(
            case_id, member_case_id, body.performed, body.note, actor, uow, steps.ctx
        )
    )
