"""Dispatch's work queues: a department's open hazards and those it supports, a supervisor's
escalated ones, the officers' triage of hazards no department took."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from services.dispatch.domain.lifecycle import WORKING, State
from services.dispatch.entrypoints.dependencies import ActorDep, AuditDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.hazard_out import listed, public
from services.dispatch.entrypoints.schemas import HazardPublic, SupervisedHazard, SupportedHazard
from services.dispatch.service_layer import views
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

router = APIRouter(prefix="/api/v1", tags=["hazards"], dependencies=[*AUTHENTICATED, *AuditCaller])


@router.get("/queue", response_model=list[HazardPublic])
async def queue(
    actor: ActorDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    audit: AuditDep,
    state: Annotated[State | None, Query(description="dispatched, acknowledged...")] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
    overdue: Annotated[bool, Query(description="only tickets past a target")] = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[HazardPublic]:
    """The caller department's open hazards, most overdue first."""
    if actor.role != "department":
        raise HTTPException(403, "only a department has a queue")
    states = [state] if state is not None else list(WORKING)
    async with runtime.sessions() as session:
        rows = await views.department_queue(
            session,
            actor.id,
            [s.value for s in states],
            category=category,
            jurisdiction=jurisdiction,
            due_before=ctx.clock.now() if overdue else None,
            limit=limit,
            offset=offset,
        )
    now = ctx.clock.now()
    return await listed(audit, actor, [public(h, actor, now) for h in rows])


@router.get("/queue/support", response_model=list[SupportedHazard])
async def support_queue(
    actor: ActorDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    audit: AuditDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[SupportedHazard]:
    """The open reports the caller department supports (配合处理): linked to a compound
    whose other body it is, dispatched to the compound's lead body (`department_id`,
    `department_name`), which acts on them; the caller reads them (`involvement`
    "support", no `allowed_actions`). Most overdue first."""
    if actor.role != "department":
        raise HTTPException(403, "only a department supports a compound's reports")
    states = [s.value for s in WORKING]
    async with runtime.sessions() as session:
        rows = await views.supported(session, actor.id, states, limit=limit, offset=offset)
    now = ctx.clock.now()
    shown = [
        SupportedHazard(
            **public(h, actor, now, support=True).model_dump(),
            compound_id=c["compound_id"],
            compound_name=c["name"],
        )
        for h, c in rows
    ]
    return await listed(audit, actor, shown)


@router.get("/supervision", response_model=list[SupervisedHazard])
async def supervision_queue(
    actor: ActorDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    audit: AuditDep,
    include_closed: Annotated[bool, Query(description="also those finished since")] = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[SupervisedHazard]:
    """A supervisor's queue: the hazards escalated to the caller, most overdue first."""
    if actor.role != "department":
        raise HTTPException(403, "only a supervisor (a department of the chain) has one")
    async with runtime.sessions() as session:
        rows = await views.supervised(
            session, actor.id, open_only=not include_closed, limit=limit, offset=offset
        )
    now = ctx.clock.now()
    shown = [
        SupervisedHazard(
            **public(h, actor, now).model_dump(), escalation_level=level, escalated_at=at
        )
        for h, level, at in rows
    ]
    return await listed(audit, actor, shown)


@router.get("/triage", response_model=list[HazardPublic])
async def triage_queue(
    actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep, audit: AuditDep, limit: Limit = 100
) -> list[HazardPublic]:
    """Hazards no department took (nobody covers them, or every one said "not ours")."""
    if actor.role not in ("intake_officer", "admin"):
        raise HTTPException(403, "the triage queue is the officers'")
    async with runtime.sessions() as session:
        rows = await views.unrouted(session, limit)
    now = ctx.clock.now()
    return await listed(audit, actor, [public(h, actor, now) for h in rows])
