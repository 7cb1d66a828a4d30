"""The working-day calendar: which years it knows, and loading a year's official holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException

from services.mediation.domain.calendar import CalendarYear
from services.mediation.entrypoints.dependencies import (
    ActorDep,
    CommitteeDep,
    ContextDep,
    RuntimeDep,
)
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.use_cases import guarded
from services.mediation.service_layer import administration
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/calendar",
    tags=["committee", "calendar"],
    responses=ERRORS,
    dependencies=AUTHENTICATED,
)


@router.get("")
async def calendar(_actor: CommitteeDep, ctx: ContextDep) -> dict[str, Any]:
    """Which years the working-day calendar knows, and where each comes from."""
    cal = ctx.calendar
    return {
        "years": {y: cal.source(date(y, 1, 1)) for y in cal.years},
        "fallback": "Monday-Friday for any other year (labelled weekend-fallback:<year>)",
    }


@router.put("/{year}", response_model=CalendarYear)
async def put_year(
    year: int, body: CalendarYear, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> CalendarYear:
    """Load the official holiday arrangement of a year (holidays and make-up working days)."""
    if body.year != year:
        raise HTTPException(422, {"errors": [{"field": "year", "message": "path and body"}]})
    return await guarded(  # type: ignore[no-any-return]
        runtime, lambda uow: administration.load_calendar_year(body, actor, uow, ctx)
    )
