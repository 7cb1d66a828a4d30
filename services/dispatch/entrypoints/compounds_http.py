"""The compound register's API: an admin keeps it; staff read it; the committee sees per
compound its reports, their outcome and whether it adopted the access rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field

from services.dispatch.domain.compounds import COMPOUND_ID, CompoundDraft
from services.dispatch.domain.errors import DispatchError
from services.dispatch.entrypoints.changes import change
from services.dispatch.entrypoints.dependencies import ActorDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.service_layer import compounds, views
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.runtime import ServiceRuntime

CompoundId = Annotated[str, Path(min_length=1, max_length=64, pattern=COMPOUND_ID)]
READERS = frozenset({"admin", "committee", "intake_officer", "department"})
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only an admin keeps the register"},
    404: {"description": "No such compound"},
    409: {"description": "The compound id is taken"},
    422: {"description": "A bad field (the body names it, in Chinese)"},
}


class CompoundIn(CompoundDraft):
    compound_id: str = Field(min_length=1, max_length=64, pattern=COMPOUND_ID)


class CompoundOut(BaseModel):
    compound_id: str
    name: str
    aliases: list[str]
    town: str
    town_name: str
    address: str
    latitude: float
    longitude: float
    property_office_id: str
    property_office_name: str
    residents_committee_id: str
    residents_committee_name: str
    lead: str
    rules_adopted: bool
    adopted_on: date | None
    generated: bool
    reports: int = 0
    open_reports: int = 0
    closed_reports: int = 0


class CompoundReportOut(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    title: str
    state: str
    filed_at: datetime
    matched_by: str
    distance_m: int | None
    department_id: str | None
    department_name: str | None
    support_department_id: str | None
    resolution_note: str
    resolved_at: datetime | None


class CompoundDetailOut(CompoundOut):
    report_list: list[CompoundReportOut]


def _reader(actor: ActorDep) -> None:
    if actor.role not in READERS:
        raise HTTPException(403, f"a {actor.role} may not read the compound register")


def _keeper(actor: ActorDep) -> None:
    if actor.role not in ("admin", "committee"):
        raise HTTPException(403, "only the committee records a compound's access rules")


class AdoptionIn(BaseModel):
    adopted_on: date = Field(description="制定日期 The day the compound adopted the access rules")


def _admin(actor: ActorDep) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin keeps the compound register")


async def _names(runtime: ServiceRuntime) -> dict[str, str]:
    async with runtime.sessions() as session:
        return await views.department_names(session)


def _out(
    row: dict[str, Any], towns: dict[str, str], dept: dict[str, str], **counts: int
) -> dict[str, Any]:
    """A compound's fields (a dict) with the names of its town and its bodies."""
    return {
        **row,
        "town_name": towns.get(row["town"], row["town"]),
        "property_office_name": dept.get(row["property_office_id"], ""),
        "residents_committee_name": dept.get(row["residents_committee_id"], ""),
        **counts,
    }


router = APIRouter(prefix="/api/v1/compounds", tags=["compounds"], dependencies=AUTHENTICATED)


@router.get("", response_model=list[CompoundOut], dependencies=[Depends(_reader)])
async def list_compounds(
    runtime: RuntimeDep,
    ctx: ContextDep,
    town: Annotated[str | None, Query(max_length=40)] = None,
) -> list[CompoundOut]:
    """小区台账 Every compound with its reports (open, closed) and adoption status."""
    async with runtime.sessions() as session:
        summaries = await views.compounds(session, town)
    dept = await _names(runtime)
    return [
        CompoundOut.model_validate(
            _out(
                s.compound,
                ctx.district.towns,
                dept,
                reports=s.reports,
                open_reports=s.open,
                closed_reports=s.closed,
            )
        )
        for s in summaries
    ]


@router.get(
    "/{compound_id}",
    response_model=CompoundDetailOut,
    responses=ERRORS,
    dependencies=[Depends(_reader)],
)
async def one(compound_id: CompoundId, runtime: RuntimeDep, ctx: ContextDep) -> CompoundDetailOut:
    """One compound and every report linked to it, oldest first, with its outcome."""
    try:
        async with runtime.sessions() as session:
            row, reports = await views.compound_reports(session, compound_id)
    except DispatchError as exc:
        raise http_error(exc) from exc
    dept = await _names(runtime)
    listed = [
        CompoundReportOut(
            case_id=h["case_id"],
            tracking_code=h["tracking_code"],
            title=h["title"],
            state=h["state"],
            filed_at=h["filed_at"],
            matched_by=r["matched_by"],
            distance_m=r["distance_m"],
            department_id=h["department_id"],
            department_name=h["department_name"],
            support_department_id=r["support_department_id"],
            resolution_note=h["resolution_note"],
            resolved_at=h["resolved_at"],
        )
        for r, h in reports
    ]
    closed = sum(1 for x in listed if x.state in ("closed", "cancelled", "duplicate"))
    return CompoundDetailOut.model_validate(
        {
            **_out(
                row,
                ctx.district.towns,
                dept,
                reports=len(listed),
                open_reports=len(listed) - closed,
            ),
            "closed_reports": closed,
            "report_list": listed,
        }
    )


@router.post(
    "",
    response_model=CompoundOut,
    status_code=201,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def create(body: CompoundIn, runtime: RuntimeDep, ctx: ContextDep) -> CompoundOut:
    """Add a compound (admin)."""
    draft = CompoundDraft.model_validate(body.model_dump(exclude={"compound_id"}))
    dept = await _names(runtime)
    return await change(
        runtime,
        lambda uow: compounds.create_compound(uow, body.compound_id, draft, ctx),
        lambda row: CompoundOut.model_validate(_out(row.model_dump(), ctx.district.towns, dept)),
    )


@router.put(
    "/{compound_id}",
    response_model=CompoundOut,
    responses=ERRORS,
    dependencies=[Depends(_admin)],
)
async def update(
    compound_id: CompoundId, body: CompoundDraft, runtime: RuntimeDep, ctx: ContextDep
) -> CompoundOut:
    """Change a compound: its bodies, who leads, whether and when it adopted the rules."""
    dept = await _names(runtime)
    return await change(
        runtime,
        lambda uow: compounds.update_compound(uow, compound_id, body, ctx),
        lambda row: CompoundOut.model_validate(_out(row.model_dump(), ctx.district.towns, dept)),
    )


@router.post(
    "/{compound_id}/adoption",
    response_model=CompoundOut,
    responses=ERRORS,
    dependencies=[Depends(_keeper)],
)
async def adoption(
    compound_id: CompoundId, body: AdoptionIn, runtime: RuntimeDep, ctx: ContextDep
) -> CompoundOut:
    """The committee records that the compound adopted the riders' access rules
    (骑手出入管理规范) on a day; not after today."""
    dept = await _names(runtime)
    return await change(
        runtime,
        lambda uow: compounds.record_adoption(uow, compound_id, body.adopted_on, ctx),
        lambda row: CompoundOut.model_validate(_out(row.model_dump(), ctx.district.towns, dept)),
    )
