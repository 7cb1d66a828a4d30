"""The committee's console API: queues, clocks, workload, statistics; a mediator's caseload."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response

from services.mediation.entrypoints.dependencies import (
    ActorDep,
    AuditDep,
    CommitteeDep,
    ContextDep,
    RuntimeDep,
    TodayDep,
)
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.personal_fields import DISPUTE_LIST
from services.mediation.entrypoints.schemas import DisputeSummary
from services.mediation.service_layer import committee, statistics, views
from services.mediation.service_layer.assignment import current_roster
from shared.platform.audit.fields import names_present
from shared.platform.auth.dependency import AUTHENTICATED

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

router = APIRouter(
    prefix="/api/v1", tags=["committee"], responses=ERRORS, dependencies=AUTHENTICATED
)


@router.get("/disputes", response_model=list[DisputeSummary])
async def list_disputes(
    actor: CommitteeDep,
    runtime: RuntimeDep,
    audit: AuditDep,
    state: str | None = None,
    mediator_id: str | None = None,
    duty_body: str | None = None,
    dispute_type: str | None = None,
    town: str | None = None,
    company_key: str | None = None,
    parent_case_id: uuid.UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """A queue: disputes filtered by state, mediator, body, type, town or company."""
    filters = {
        "state": state,
        "mediator_id": mediator_id,
        "duty_body": duty_body,
        "dispute_type": dispute_type,
        "town": town,
        "company_key": company_key,
        "parent_case_id": parent_case_id,
    }
    async with runtime.sessions() as session:
        found = await views.dispute_list(session, filters, limit, offset)
    shown = [{k: v for k, v in d.items() if k in DISPUTE_LIST} for d in found]
    fields = names_present(shown, DISPUTE_LIST)
    await audit.read("list", actor=actor, fields=fields, case_ids=[d["case_id"] for d in found])
    return found


@router.get("/mediator/disputes")
async def my_disputes(
    actor: ActorDep, runtime: RuntimeDep, audit: AuditDep
) -> list[dict[str, Any]]:
    """A mediator's own disputes (and those the committee let them read), open ones first,
    each with its nearest open clock."""
    if actor.role != "mediator":
        raise HTTPException(403, "this list is a mediator's own")
    async with runtime.sessions() as session:
        found = await committee.caseload_of(session, actor.id)
    await audit.read(
        "list", actor=actor, fields=["complainant_name"], case_ids=[r["case_id"] for r in found]
    )
    return found


@router.get("/committee/queues")
async def queues(_actor: CommitteeDep, runtime: RuntimeDep) -> dict[str, int]:
    """How many disputes wait in each state."""
    async with runtime.sessions() as session:
        return await committee.queues(session)


@router.get("/committee/clocks")
async def clocks(
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    clock: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Every open clock with its due day, soonest first."""
    async with runtime.sessions() as session:
        return await committee.open_clocks(session, ctx.calendar, clock, limit, offset)


@router.get("/committee/limitation-unknown")
async def limitation_unknown(
    _actor: CommitteeDep, runtime: RuntimeDep, limit: Limit = 100
) -> list[dict[str, Any]]:
    """Open disputes filed without the day they arose: no limitation clock runs for them
    (warning "时效起算日不详")."""
    async with runtime.sessions() as session:
        return await committee.limitation_unknown(session, limit)


@router.get("/committee/overdue")
async def overdue(
    _actor: CommitteeDep, runtime: RuntimeDep, ctx: ContextDep, today: TodayDep, limit: Limit = 100
) -> list[dict[str, Any]]:
    """Clocks that ran out on disputes still open."""
    async with runtime.sessions() as session:
        return await committee.overdue(session, ctx.calendar, today, limit)


@router.get("/committee/due-soon")
async def due_soon(
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    today: TodayDep,
    days: Annotated[int | None, Query(ge=0, le=60)] = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    """Clocks due within `days` (default MEDIATION_DUE_SOON_DAYS)."""
    async with runtime.sessions() as session:
        horizon = ctx.policy.due_soon_days if days is None else days
        return await committee.due_soon(session, ctx.calendar, today, horizon, limit)


@router.get("/committee/workload")
async def workload(
    _actor: CommitteeDep, runtime: RuntimeDep, ctx: ContextDep, today: TodayDep
) -> dict[str, Any]:
    """Open cases per mediator and per duty body, with capacity and today's duty."""
    async with runtime.uow() as uow:
        roster = await current_roster(uow, ctx)
        return await committee.workload(uow.session, roster, today)


@router.get("/committee/statistics")
async def stats(
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    today: TodayDep,
    by: statistics.Dimension = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
) -> dict[str, Any]:
    """Filed, accepted, agreed, failed, expired, referred, median days; year over year."""
    async with runtime.sessions() as session:
        return await statistics.statistics(session, by, year or today.year, month)


@router.get("/committee/statistics.csv", response_class=Response)
async def stats_csv(
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    today: TodayDep,
    by: statistics.Dimension = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
) -> Response:
    """The same statistics as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese)."""
    async with runtime.sessions() as session:
        report = await statistics.statistics(session, by, year or today.year, month)
    name = f"mediation-{by}-{report['year']}{'-' + str(month) if month else ''}.csv"
    return Response(
        "\ufeff" + statistics.to_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
