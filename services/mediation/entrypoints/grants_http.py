"""The committee's reading grants: POST and DELETE /api/v1/disputes/{case_id}/grants."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from services.mediation.entrypoints.disputes_http import ERRORS, guarded
from services.mediation.service_layer import grants
from services.mediation.service_layer.context import Context
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.json_rules import stripped_text
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
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


def build_router(runtime: ServiceRuntime, ctx: Context) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1/disputes", tags=["disputes"], responses=ERRORS, dependencies=AUTHENTICATED
    )

    @router.post("/{case_id}/grants", response_model=GrantOut, status_code=201)
    async def grant(case_id: uuid.UUID, body: GrantIn, actor: ActorDep) -> GrantOut:
        """The committee lets a mediator read this dispute (not act on it)."""
        granted = await guarded(
            runtime, lambda uow: grants.grant(case_id, body.mediator_id, actor, uow, ctx)
        )
        return GrantOut(**granted)

    @router.delete("/{case_id}/grants/{mediator_id}", status_code=204)
    async def revoke(case_id: uuid.UUID, mediator_id: MediatorId, actor: ActorDep) -> Response:
        """The committee withdraws a mediator's grant."""
        await guarded(runtime, lambda uow: grants.revoke(case_id, mediator_id, actor, uow, ctx))
        return Response(status_code=204)

    return router
