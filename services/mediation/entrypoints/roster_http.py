"""The duty roster: bodies, mediators, weekly rotation, shifts; and who is on duty today."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.mediation.domain.roster import Roster, Shift
from services.mediation.entrypoints.dependencies import (
    ActorDep,
    CommitteeDep,
    ContextDep,
    RuntimeDep,
    TodayDep,
)
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.use_cases import guarded
from services.mediation.service_layer import administration
from services.mediation.service_layer.assignment import current_roster
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/roster",
    tags=["committee", "roster"],
    responses=ERRORS,
    dependencies=AUTHENTICATED,
)


@router.get("", response_model=Roster)
async def get_roster(_actor: CommitteeDep, runtime: RuntimeDep, ctx: ContextDep) -> Roster:
    """The duty roster: bodies, mediators, weekly rotation, always-on bodies, shifts."""
    async with runtime.uow() as uow:
        return await current_roster(uow, ctx)


@router.put("", response_model=Roster)
async def put_roster(
    roster: Roster, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> Roster:
    """Replace the duty roster."""
    return await guarded(  # type: ignore[no-any-return]
        runtime, lambda uow: administration.replace_roster(roster, actor, uow, ctx)
    )


@router.post("/shifts", response_model=Roster)
async def add_shift(shift: Shift, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep) -> Roster:
    """Put a body on duty for some days (holiday cover, a swap)."""
    return await guarded(  # type: ignore[no-any-return]
        runtime, lambda uow: administration.add_shift(shift, actor, uow, ctx)
    )


@router.get("/on-duty")
async def on_duty(
    _actor: CommitteeDep, runtime: RuntimeDep, ctx: ContextDep, today: TodayDep
) -> dict[str, Any]:
    """The bodies on duty today."""
    async with runtime.uow() as uow:
        roster = await current_roster(uow, ctx)
    return {"on": today.isoformat(), "bodies": roster.on_duty(today)}
