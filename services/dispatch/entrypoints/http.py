"""Dispatch's API for departments: their queue, acknowledge, resolve."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlmodel import col, select

from services.dispatch.adapters.tables import Hazard, HazardHistory
from services.dispatch.domain.errors import DispatchError, IllegalTransition, NotAllowed, NotFound
from services.dispatch.entrypoints.schemas import HazardPublic, HistoryItem, ResolveIn
from services.dispatch.service_layer import work
from shared.actors import actor_from_headers
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(actor_from_headers)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such hazard"},
    403: {"description": "Not allowed for this caller"},
    409: {"description": "Not allowed in the current state"},
}
OPEN_STATES = ("dispatched", "acknowledged", "in_progress", "reopened")


def _http_error(exc: DispatchError) -> HTTPException:
    if isinstance(exc, NotFound):
        return HTTPException(404, "no such hazard")
    if isinstance(exc, IllegalTransition):
        return HTTPException(409, {"message": str(exc), "state": exc.state})
    if isinstance(exc, NotAllowed):
        return HTTPException(403, str(exc))
    return HTTPException(409, str(exc))


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["hazards"])

    async def read(case_id: uuid.UUID) -> HazardPublic:
        async with runtime.sessions() as session:
            hazard = (await session.exec(select(Hazard).where(Hazard.case_id == case_id))).first()
            if hazard is None:
                raise HTTPException(404, "no such hazard")
            history = (
                await session.exec(
                    select(HazardHistory)
                    .where(HazardHistory.case_id == case_id)
                    .order_by(col(HazardHistory.at), col(HazardHistory.id))
                )
            ).all()
        return HazardPublic(
            **hazard.model_dump(),
            history=[HistoryItem.model_validate(h, from_attributes=True) for h in history],
        )

    async def run(work_fn: Callable[[UnitOfWork], Awaitable[Hazard]]) -> HazardPublic:
        try:
            async with runtime.uow() as uow:
                hazard = await work_fn(uow)
        except DispatchError as exc:
            raise _http_error(exc) from exc
        return await read(hazard.case_id)

    @router.get("/queue", response_model=list[HazardPublic])
    async def queue(
        actor: ActorDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[HazardPublic]:
        """The caller department's open hazards, most overdue first."""
        if actor.role != "department":
            raise HTTPException(403, "only a department has a queue")
        async with runtime.sessions() as session:
            rows = (
                await session.exec(
                    select(Hazard)
                    .where(Hazard.department_id == actor.id, col(Hazard.state).in_(OPEN_STATES))
                    .order_by(col(Hazard.acknowledge_due))
                    .limit(limit)
                )
            ).all()
        return [HazardPublic(**h.model_dump()) for h in rows]

    @router.get("/hazards/{case_id}", response_model=HazardPublic, responses=ERRORS)
    async def get_hazard(case_id: uuid.UUID) -> HazardPublic:
        """One hazard with its history."""
        return await read(case_id)

    @router.post("/hazards/{case_id}/acknowledge", response_model=HazardPublic, responses=ERRORS)
    async def acknowledge(case_id: uuid.UUID, actor: ActorDep) -> HazardPublic:
        """The department takes the ticket."""
        return await run(lambda uow: work.acknowledge(case_id, actor, uow))

    @router.post("/hazards/{case_id}/resolve", response_model=HazardPublic, responses=ERRORS)
    async def resolve(case_id: uuid.UUID, body: ResolveIn, actor: ActorDep) -> HazardPublic:
        """The department reports it fixed; the reporter is asked to confirm."""
        return await run(lambda uow: work.resolve(case_id, body.note, actor, uow))

    return router
