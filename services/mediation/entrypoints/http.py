"""Mediation's API for mediators and the committee."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import col, select

from services.mediation.adapters.tables import Dispute, DisputeHistory
from services.mediation.domain.agreement import AgreementTerms
from services.mediation.domain.errors import (
    IllegalTransition,
    Incomplete,
    MediationError,
    NotAllowed,
    NotFound,
)
from services.mediation.entrypoints.schemas import DisputePublic, HistoryItem, PerformanceIn
from services.mediation.service_layer import casework
from shared.actors import actor_from_headers
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(actor_from_headers)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such dispute"},
    403: {"description": "Not allowed for this role"},
    409: {"description": "Not allowed in the current state"},
    422: {"description": "Missing or invalid field"},
}


def _http_error(exc: MediationError) -> HTTPException:
    if isinstance(exc, NotFound):
        return HTTPException(404, "no such dispute")
    if isinstance(exc, IllegalTransition):
        return HTTPException(409, {"message": str(exc), "state": exc.state})
    if isinstance(exc, NotAllowed):
        return HTTPException(403, str(exc))
    if isinstance(exc, Incomplete):
        return HTTPException(422, {"message": str(exc), "errors": [{"field": exc.field}]})
    return HTTPException(409, str(exc))


def build_router(runtime: ServiceRuntime, now: Callable[[], datetime]) -> APIRouter:
    router = APIRouter(prefix="/api/v1/disputes", tags=["disputes"])

    async def run(work: Callable[[UnitOfWork], Awaitable[Dispute]]) -> DisputePublic:
        try:
            async with runtime.uow() as uow:
                dispute = await work(uow)
        except MediationError as exc:
            raise _http_error(exc) from exc
        return await read(dispute.case_id)

    async def read(case_id: uuid.UUID) -> DisputePublic:
        async with runtime.sessions() as session:
            dispute = (
                await session.exec(select(Dispute).where(Dispute.case_id == case_id))
            ).first()
            if dispute is None:
                raise HTTPException(404, "no such dispute")
            history = (
                await session.exec(
                    select(DisputeHistory)
                    .where(DisputeHistory.case_id == case_id)
                    .order_by(col(DisputeHistory.at), col(DisputeHistory.id))
                )
            ).all()
        return DisputePublic(
            **dispute.model_dump(),
            history=[HistoryItem.model_validate(h, from_attributes=True) for h in history],
        )

    @router.get("/{case_id}", response_model=DisputePublic, responses=ERRORS)
    async def get_dispute(case_id: uuid.UUID) -> DisputePublic:
        """One dispute with its state history."""
        return await read(case_id)

    @router.post("/{case_id}/start", response_model=DisputePublic, responses=ERRORS)
    async def start(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """The assigned mediator starts mediation."""
        return await run(lambda uow: casework.start_mediation(case_id, actor, uow))

    @router.post("/{case_id}/agreement", response_model=DisputePublic, responses=ERRORS)
    async def agreement(
        case_id: uuid.UUID, terms: AgreementTerms, actor: ActorDep
    ) -> DisputePublic:
        """Record the signed and sealed agreement; performance monitoring begins."""
        return await run(lambda uow: casework.sign_agreement(case_id, terms, actor, uow, now))

    @router.post("/{case_id}/performance", response_model=DisputePublic, responses=ERRORS)
    async def performance(
        case_id: uuid.UUID, body: PerformanceIn, actor: ActorDep
    ) -> DisputePublic:
        """Record whether the agreement was performed."""
        return await run(
            lambda uow: casework.record_performance(case_id, body.performed, body.note, actor, uow)
        )

    @router.post("/{case_id}/close", response_model=DisputePublic, responses=ERRORS)
    async def close(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """Close a dispute whose outcome is settled."""
        return await run(lambda uow: casework.close(case_id, actor, uow))

    return router
