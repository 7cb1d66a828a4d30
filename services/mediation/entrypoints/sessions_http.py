"""A dispute's mediation sessions: scheduled (at a place, a station or online), moved, held."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException

from services.mediation.adapters.station_lookup import StationsUnavailable
from services.mediation.entrypoints.dependencies import ActorDep
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.schemas import HeldIn, RescheduleIn, SessionIn, SessionOut
from services.mediation.entrypoints.use_cases import StepsDep
from services.mediation.service_layer import sessions
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/disputes", tags=["disputes"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


@router.post("/{case_id}/sessions", response_model=SessionOut, responses=ERRORS, status_code=201)
async def schedule(case_id: uuid.UUID, body: SessionIn, actor: ActorDep, steps: StepsDep) -> Any:
    """Schedule a session (a place, a station, or online); the attendees are invited."""
    ctx = steps.ctx
    place = body.place
    if body.station_id is not None:
        try:
            found = await ctx.station_place(body.station_id) if ctx.station_place else None
        except StationsUnavailable as exc:
            raise HTTPException(
                503, {"field": "station_id", "message": "暂时无法查询阵地，请稍后再试"}
            ) from exc
        if found is None:
            raise HTTPException(422, {"field": "station_id", "message": "没有这个阵地，或它已关闭"})
        place = found
    return await steps.guarded(
        steps.changing(
            ["sessions.attendees", "sessions.place"],
            lambda uow: sessions.schedule_session(
                case_id, body.starts_at, place, body.online, body.attendees, actor, uow, ctx
            ),
        )
    )


@router.post(
    "/{case_id}/sessions/{session_id}/reschedule", response_model=SessionOut, responses=ERRORS
)
async def reschedule(
    case_id: uuid.UUID, session_id: str, body: RescheduleIn, actor: ActorDep, steps: StepsDep
) -> Any:
    """Move a session; the attendees are told of the change (old and new time, why) and
    reminded of the new time."""
    return await steps.guarded(
        steps.changing(
            ["sessions.place"],
            lambda uow: sessions.reschedule_session(
                case_id, session_id, body.starts_at, body.place, body.reason, actor, uow, steps.ctx
            ),
        )
    )


@router.post("/{case_id}/sessions/{session_id}/held", response_model=SessionOut, responses=ERRORS)
async def held(
    case_id: uuid.UUID, session_id: str, body: HeldIn, actor: ActorDep, steps: StepsDep
) -> Any:
    """Record that a session took place: who attended, what came of it."""
    return await steps.guarded(
        steps.changing(
            ["sessions.attendees", "sessions.summary"],
            lambda uow: sessions.hold_session(
                case_id, session_id, body.summary, body.attendees, actor, uow, steps.ctx
            ),
        )
    )
