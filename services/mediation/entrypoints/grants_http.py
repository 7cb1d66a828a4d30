"""The committee's reading grants: POST and DELETE /api/v1/disputes/{case_id}/grants."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from services.mediation.entrypoints.dependencies import ActorDep, ContextDep, RuntimeDep
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.use_cases import guarded
from services.mediation.service_layer import grants
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.json_rules import stripped_text

MediatorId = Annotated[str, Path(min_length=1, max_length=64)]


class GrantIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=stripped_text
    )

    mediator_id: str = Field(min_length=1, max_length=64, description="调解员 Mediator")


class GrantOut(BaseModel):
    case_id: uuid.UUID
    mediator_id: str
    granted_by: str
    granted_at: datetime


router = APIRouter(
    prefix="/api/v1/disputes", tags=["disputes"], responses=ERRORS, dependencies=AUTHENTICATED
)


@router.post("/{case_id}/grants", response_model=GrantOut, status_code=201)
async def grant(
    case_id: uuid.UUID, body: GrantIn, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> GrantOut:
    """The committee lets a mediator read this dispute (not act on it)."""
    granted = await guarded(
        runtime, lambda uow: grants.grant(case_id, body.mediator_id, actor, uow, ctx)
    )
    return GrantOut(**granted)


@router.delete("/{case_id}/grants/{mediator_id}", status_code=204)
async def revoke(
    case_id: uuid.UUID,
    mediator_id: MediatorId,
    actor: ActorDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> Response:
    """The committee withdraws a mediator's grant."""
    await guarded(runtime, lambda uow: grants.revoke(case_id, mediator_id, actor, uow, ctx))
    return Response(status_code=204)
