"""Dispatch's API: a department's queue and work, the officer's routing, one hazard's story."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlmodel import col, select

from services.dispatch.adapters.tables import (
    AUDIT,
    Follower,
    Hazard,
    HazardEscalation,
    HazardHistory,
)
from services.dispatch.domain import hazard as aggregate
from services.dispatch.domain.errors import DispatchError
from services.dispatch.domain.lifecycle import UNROUTED, WORKING, State, allowed_actions
from services.dispatch.entrypoints import (
    compounds_http,
    directory_http,
    exchange_http,
    points_http,
    stations_http,
)
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.entrypoints.schemas import (
    CancelIn,
    DeclineIn,
    EscalationItem,
    HazardPublic,
    HistoryItem,
    ProgressIn,
    ResolveIn,
    RouteIn,
    SupervisedHazard,
    SupportedHazard,
    UrgeIn,
)
from services.dispatch.service_layer import compounds, supervision, work
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.nearest import StationFinder
from services.dispatch.service_layer.steps import load
from shared.audit.fields import names_present
from shared.audit.http import AuditCaller
from shared.audit.log import AuditLog
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.masking import case_reference
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such hazard"},
    403: {"description": "Not allowed for this caller"},
    409: {"description": "Not allowed in the current state (the body names it)"},
}
STAFF = frozenset({"intake_officer", "admin", "committee"})
# The personal fields of a hazard as served (HazardPublic): where it is, what was written.
PERSONAL = frozenset(
    {"title", "latitude", "longitude", "resolution_note", "resolution_photo_url", "history.note"}
)
Work = Callable[[aggregate.Hazard, UnitOfWork], Awaitable[aggregate.Hazard]]


def build_router(runtime: ServiceRuntime, ctx: Context, finder: StationFinder) -> APIRouter:
    router = APIRouter(prefix="/api/v1", dependencies=AUTHENTICATED)
    hazards = APIRouter(tags=["hazards"], dependencies=AuditCaller)
    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)

    async def listed(actor: Actor, rows: list[HazardPublic]) -> list[HazardPublic]:
        fields = names_present(rows, PERSONAL)
        await audit.read("list", actor=actor, fields=fields, case_ids=[h.case_id for h in rows])
        return rows

    def public(
        hazard: Hazard,
        actor: Actor,
        history: list[HazardHistory] = (),  # type: ignore[assignment]
        escalations: list[HazardEscalation] = (),  # type: ignore[assignment]
        *,
        support: bool = False,
    ) -> HazardPublic:
        overdue = hazard.next_due is not None and hazard.next_due < ctx.clock.now()
        shown = hazard.model_dump()
        actions = allowed_actions(State(hazard.state), actor.role)
        involvement = None
        if actor.role == "department":  # the code is the reporter's credential, not theirs
            shown["tracking_code"] = case_reference(hazard.case_id)
            lead = actor.id == hazard.department_id
            involvement = "lead" if lead else "support" if support else None
            actions = actions if lead else []  # only the department it is dispatched to acts
        return HazardPublic(
            **shown,
            overdue=overdue,
            allowed_actions=actions,
            involvement=involvement,
            history=[HistoryItem.model_validate(h, from_attributes=True) for h in history],
            escalations=[
                EscalationItem.model_validate(e, from_attributes=True) for e in escalations
            ],
        )

    async def may_read(hazard: Hazard, actor: Actor) -> bool:
        if actor.role in STAFF:
            return True
        if actor.role == "department":
            if actor.id == hazard.department_id:
                return True
            # A supervisor reads the hazards escalated to it; the other body of a compound
            # the report is linked to reads it too (配合处理).
            async with runtime.sessions() as session:
                return await supervision.escalated_to(
                    session, hazard.case_id, actor.id
                ) or await compounds.supports(session, hazard.case_id, actor.id)
        if actor.role == "reporter":
            if actor.id == hazard.reporter_id:
                return True
            async with runtime.sessions() as session:
                found = await session.exec(
                    select(Follower.id).where(
                        Follower.case_id == hazard.case_id, Follower.party_id == actor.id
                    )
                )
                return found.first() is not None
        return False

    async def read(case_id: uuid.UUID, actor: Actor, *, check: bool = True) -> HazardPublic:
        async with runtime.sessions() as session:
            hazard = await session.get(Hazard, case_id)
            if hazard is None:
                raise HTTPException(404, "no such hazard")
            history = (
                await session.exec(
                    select(HazardHistory)
                    .where(HazardHistory.case_id == case_id)
                    .order_by(col(HazardHistory.seq), col(HazardHistory.at))
                )
            ).all()
            chain = (
                await session.exec(
                    select(HazardEscalation)
                    .where(HazardEscalation.case_id == case_id)
                    .order_by(col(HazardEscalation.at), col(HazardEscalation.level))
                )
            ).all()
            support = actor.role == "department" and actor.id != hazard.department_id
            support = support and await compounds.supports(session, case_id, actor.id)
        if check and not await may_read(hazard, actor):
            raise HTTPException(403, "this hazard is not yours to see")
        shown = public(hazard, actor, list(history), list(chain), support=support)
        await audit.read(actor=actor, case_id=case_id, fields=names_present(shown, PERSONAL))
        return shown

    async def act(case_id: uuid.UUID, actor: Actor, fn: Work) -> HazardPublic:
        try:
            async with runtime.uow() as uow:
                await fn(await load(uow, case_id), uow)
                await uow.commit()
        except DispatchError as exc:
            raise http_error(exc) from exc
        # The caller was allowed to act; it sees the outcome even if the ticket moved away.
        return await read(case_id, actor, check=False)

    @hazards.get("/queue", response_model=list[HazardPublic])
    async def queue(
        actor: ActorDep,
        state: Annotated[State | None, Query(description="dispatched, acknowledged...")] = None,
        category: Annotated[str | None, Query(max_length=40)] = None,
        jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
        overdue: Annotated[bool, Query(description="only tickets past a target")] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[HazardPublic]:
        """The caller department's open hazards, most overdue first."""
        if actor.role != "department":
            raise HTTPException(403, "only a department has a queue")
        states = [state] if state is not None else list(WORKING)
        stmt = select(Hazard).where(
            Hazard.department_id == actor.id, col(Hazard.state).in_([s.value for s in states])
        )
        if category:
            stmt = stmt.where(Hazard.category == category)
        if jurisdiction:
            stmt = stmt.where(Hazard.jurisdiction == jurisdiction)
        if overdue:
            stmt = stmt.where(col(Hazard.next_due) < ctx.clock.now())
        stmt = stmt.order_by(col(Hazard.next_due).asc().nulls_last(), col(Hazard.filed_at))
        async with runtime.sessions() as session:
            rows = (await session.exec(stmt.offset(offset).limit(limit))).all()
        return await listed(actor, [public(h, actor) for h in rows])

    @hazards.get("/queue/support", response_model=list[SupportedHazard])
    async def support_queue(
        actor: ActorDep,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[SupportedHazard]:
        """The open reports the caller department supports (配合处理): linked to a compound
        whose other body it is, dispatched to the compound's lead body (`department_id`,
        `department_name`), which acts on them; the caller reads them (`involvement`
        "support", no `allowed_actions`). Most overdue first."""
        if actor.role != "department":
            raise HTTPException(403, "only a department supports a compound's reports")
        states = [s.value for s in WORKING]
        async with runtime.sessions() as session:
            rows = await compounds.supported(session, actor.id, states, limit=limit, offset=offset)
        shown = [
            SupportedHazard(
                **public(h, actor, support=True).model_dump(),
                compound_id=c.compound_id,
                compound_name=c.name,
            )
            for h, c in rows
        ]
        fields = names_present(shown, PERSONAL)
        await audit.read("list", actor=actor, fields=fields, case_ids=[h.case_id for h in shown])
        return shown

    @hazards.get("/supervision", response_model=list[SupervisedHazard])
    async def supervision_queue(
        actor: ActorDep,
        include_closed: Annotated[bool, Query(description="also those finished since")] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[SupervisedHazard]:
        """A supervisor's queue: the hazards escalated to the caller, most overdue first."""
        if actor.role != "department":
            raise HTTPException(403, "only a supervisor (a department of the chain) has one")
        async with runtime.sessions() as session:
            rows = await supervision.queue(
                session, actor.id, open_only=not include_closed, limit=limit, offset=offset
            )
        shown = [
            SupervisedHazard(
                **public(h, actor).model_dump(), escalation_level=level, escalated_at=at
            )
            for h, level, at in rows
        ]
        fields = names_present(shown, PERSONAL)
        await audit.read("list", actor=actor, fields=fields, case_ids=[h.case_id for h in shown])
        return shown

    @hazards.post("/hazards/{case_id}/urge", response_model=HazardPublic, responses=ERRORS)
    async def urge(case_id: uuid.UUID, body: UrgeIn, actor: ActorDep) -> HazardPublic:
        """A supervisor the hazard was escalated to presses its department (督办)."""
        return await act(
            case_id, actor, lambda h, uow: supervision.urge(h, body.note, actor, uow, ctx)
        )

    @hazards.get("/triage", response_model=list[HazardPublic])
    async def triage_queue(
        actor: ActorDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[HazardPublic]:
        """Hazards no department took (nobody covers them, or every one said "not ours")."""
        if actor.role not in ("intake_officer", "admin"):
            raise HTTPException(403, "the triage queue is the officers'")
        async with runtime.sessions() as session:
            rows = (
                await session.exec(
                    select(Hazard)
                    .where(col(Hazard.state).in_([s.value for s in UNROUTED]))
                    .order_by(col(Hazard.filed_at))
                    .limit(limit)
                )
            ).all()
        return await listed(actor, [public(h, actor) for h in rows])

    @hazards.get("/hazards/{case_id}", response_model=HazardPublic, responses=ERRORS)
    async def get_hazard(case_id: uuid.UUID, actor: ActorDep) -> HazardPublic:
        """One hazard with its history."""
        return await read(case_id, actor)

    @hazards.post("/hazards/{case_id}/acknowledge", response_model=HazardPublic, responses=ERRORS)
    async def acknowledge(case_id: uuid.UUID, actor: ActorDep) -> HazardPublic:
        """The department takes the ticket."""
        return await act(case_id, actor, lambda h, uow: work.acknowledge(h, actor, uow, ctx))

    @hazards.post("/hazards/{case_id}/progress", response_model=HazardPublic, responses=ERRORS)
    async def progress(case_id: uuid.UUID, body: ProgressIn, actor: ActorDep) -> HazardPublic:
        """The department notes progress (the reporter sees it as status notes)."""
        return await act(
            case_id, actor, lambda h, uow: work.note_progress(h, body.note, actor, uow, ctx)
        )

    @hazards.post("/hazards/{case_id}/resolve", response_model=HazardPublic, responses=ERRORS)
    async def resolve(case_id: uuid.UUID, body: ResolveIn, actor: ActorDep) -> HazardPublic:
        """The department reports it fixed; the reporter is asked to confirm."""
        photo = str(body.photo_url) if body.photo_url else None
        return await act(
            case_id, actor, lambda h, uow: work.resolve(h, body.note, photo, actor, uow, ctx)
        )

    @hazards.post("/hazards/{case_id}/decline", response_model=HazardPublic, responses=ERRORS)
    async def decline(case_id: uuid.UUID, body: DeclineIn, actor: ActorDep) -> HazardPublic:
        """ "Not ours": re-routed to the department named, the next one, or back to triage."""
        return await act(
            case_id,
            actor,
            lambda h, uow: work.decline(h, body.reason, body.department_id, actor, uow, ctx),
        )

    @hazards.post("/hazards/{case_id}/route", response_model=HazardPublic, responses=ERRORS)
    async def route(case_id: uuid.UUID, body: RouteIn, actor: ActorDep) -> HazardPublic:
        """An officer routes the hazard to a named department."""
        return await act(
            case_id,
            actor,
            lambda h, uow: work.route_by_hand(h, body.department_id, actor, uow, ctx),
        )

    @hazards.post("/hazards/{case_id}/cancel", response_model=HazardPublic, responses=ERRORS)
    async def cancel(case_id: uuid.UUID, body: CancelIn, actor: ActorDep) -> HazardPublic:
        """Its reporter withdraws it, or an officer cancels it."""
        return await act(
            case_id, actor, lambda h, uow: work.cancel(h, body.reason, actor, uow, ctx)
        )

    router.include_router(hazards)
    router.include_router(directory_http.build_router(runtime, ctx))
    router.include_router(points_http.build_router(runtime))
    router.include_router(stations_http.build_router(runtime, ctx, finder))
    router.include_router(exchange_http.build_router(runtime, ctx))
    router.include_router(compounds_http.build_router(runtime, ctx))
    return router
