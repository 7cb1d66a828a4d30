"""Dispatch's API for one hazard: its story, and the work on it (the department's steps, the
officer's routing, the supervisor's pressing, the reporter's withdrawal)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from services.dispatch.domain import hazard as aggregate
from services.dispatch.domain.errors import DispatchError
from services.dispatch.entrypoints.dependencies import ActorDep, AuditDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.entrypoints.hazard_out import PERSONAL, public
from services.dispatch.entrypoints.schemas import (
    CancelIn,
    DeclineIn,
    HazardPublic,
    ProgressIn,
    ResolveIn,
    RouteIn,
    UrgeIn,
)
from services.dispatch.service_layer import supervision, views, work
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.steps import load
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.fields import names_present
from shared.platform.audit.http import AuditCaller
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.runtime import ServiceRuntime

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such hazard"},
    403: {"description": "Not allowed for this caller"},
    409: {"description": "Not allowed in the current state (the body names it)"},
}
STAFF = frozenset({"intake_officer", "admin", "committee"})
Work = Callable[[aggregate.Hazard, UnitOfWork], Awaitable[aggregate.Hazard]]

router = APIRouter(prefix="/api/v1", tags=["hazards"], dependencies=[*AUTHENTICATED, *AuditCaller])


@dataclass(frozen=True)
class Desk:
    """One request's way to a hazard: read it as the caller may, or work it and read it back."""

    runtime: ServiceRuntime
    ctx: Context
    audit: AuditLog

    async def may_read(self, hazard: dict[str, Any], actor: Actor) -> bool:
        if actor.role in STAFF:
            return True
        case_id = hazard["case_id"]
        if actor.role == "department":
            if actor.id == hazard["department_id"]:
                return True
            # A supervisor reads the hazards escalated to it; the other body of a compound
            # the report is linked to reads it too (配合处理).
            async with self.runtime.sessions() as session:
                return await views.escalated_to(session, case_id, actor.id) or await views.supports(
                    session, case_id, actor.id
                )
        if actor.role == "reporter":
            if actor.id == hazard["reporter_id"]:
                return True
            async with self.runtime.sessions() as session:
                return await views.follows(session, case_id, actor.id)
        return False

    async def read(self, case_id: uuid.UUID, actor: Actor, *, check: bool = True) -> HazardPublic:
        async with self.runtime.sessions() as session:
            story = await views.story(session, case_id)
            if story is None:
                raise HTTPException(404, "no such hazard")
            support = actor.role == "department" and actor.id != story.hazard["department_id"]
            support = support and await views.supports(session, case_id, actor.id)
        if check and not await self.may_read(story.hazard, actor):
            raise HTTPException(403, "this hazard is not yours to see")
        shown = public(
            story.hazard,
            actor,
            self.ctx.clock.now(),
            story.history,
            story.escalations,
            support=support,
        )
        await self.audit.read(actor=actor, case_id=case_id, fields=names_present(shown, PERSONAL))
        return shown

    async def act(self, case_id: uuid.UUID, actor: Actor, fn: Work) -> HazardPublic:
        try:
            async with self.runtime.uow() as uow:
                await fn(await load(uow, case_id), uow)
                await uow.commit()
        except DispatchError as exc:
            raise http_error(exc) from exc
        # The caller was allowed to act; it sees the outcome even if the ticket moved away.
        return await self.read(case_id, actor, check=False)


def desk_of(runtime: RuntimeDep, ctx: ContextDep, audit: AuditDep) -> Desk:
    return Desk(runtime, ctx, audit)


DeskDep = Annotated[Desk, Depends(desk_of)]


@router.post("/hazards/{case_id}/urge", response_model=HazardPublic, responses=ERRORS)
async def urge(
    case_id: uuid.UUID, body: UrgeIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """A supervisor the hazard was escalated to presses its department (督办)."""
    return await desk.act(
        case_id, actor, lambda h, uow: supervision.urge(h, body.note, actor, uow, ctx)
    )


@router.get("/hazards/{case_id}", response_model=HazardPublic, responses=ERRORS)
async def get_hazard(case_id: uuid.UUID, actor: ActorDep, desk: DeskDep) -> HazardPublic:
    """One hazard with its history."""
    return await desk.read(case_id, actor)


@router.post("/hazards/{case_id}/acknowledge", response_model=HazardPublic, responses=ERRORS)
async def acknowledge(
    case_id: uuid.UUID, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """The department takes the ticket."""
    return await desk.act(case_id, actor, lambda h, uow: work.acknowledge(h, actor, uow, ctx))


@router.post("/hazards/{case_id}/progress", response_model=HazardPublic, responses=ERRORS)
async def progress(
    case_id: uuid.UUID, body: ProgressIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """The department notes progress (the reporter sees it as status notes)."""
    return await desk.act(
        case_id, actor, lambda h, uow: work.note_progress(h, body.note, actor, uow, ctx)
    )


@router.post("/hazards/{case_id}/resolve", response_model=HazardPublic, responses=ERRORS)
async def resolve(
    case_id: uuid.UUID, body: ResolveIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """The department reports it fixed; the reporter is asked to confirm."""
    photo = str(body.photo_url) if body.photo_url else None
    return await desk.act(
        case_id, actor, lambda h, uow: work.resolve(h, body.note, photo, actor, uow, ctx)
    )


@router.post("/hazards/{case_id}/decline", response_model=HazardPublic, responses=ERRORS)
async def decline(
    case_id: uuid.UUID, body: DeclineIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """ "Not ours": re-routed to the department named, the next one, or back to triage."""
    return await desk.act(
        case_id,
        actor,
        lambda h, uow: work.decline(h, body.reason, body.department_id, actor, uow, ctx),
    )


@router.post("/hazards/{case_id}/route", response_model=HazardPublic, responses=ERRORS)
async def route(
    case_id: uuid.UUID, body: RouteIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """An officer routes the hazard to a named department."""
    return await desk.act(
        case_id,
        actor,
        lambda h, uow: work.route_by_hand(h, body.department_id, actor, uow, ctx),
    )


@router.post("/hazards/{case_id}/cancel", response_model=HazardPublic, responses=ERRORS)
async def cancel(
    case_id: uuid.UUID, body: CancelIn, actor: ActorDep, desk: DeskDep, ctx: ContextDep
) -> HazardPublic:
    """Its reporter withdraws it, or an officer cancels it."""
    return await desk.act(
        case_id, actor, lambda h, uow: work.cancel(h, body.reason, actor, uow, ctx)
    )
