"""The committee's industry consultations (行业协商): open one from a pattern alert or on its
own, record sessions, the agreed rule change and follow-up, the outcome; and the pattern's
disputes month by month before and after the change."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.mediation.domain.errors import MediationError
from services.mediation.entrypoints.dependencies import CommitteeDep, ContextDep, RuntimeDep
from services.mediation.entrypoints.errors import ERRORS, http_error
from services.mediation.entrypoints.use_cases import guarded
from services.mediation.service_layer import consultations as use
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/consultations",
    tags=["consultations"],
    responses=ERRORS,
    dependencies=AUTHENTICATED,
)


@router.post("", status_code=201)
async def open_one(
    body: use.OpenConsultation, actor: CommitteeDep, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, Any]:
    """开启行业协商 From a pattern alert (`alert_id`) or on its own (company, dispute type)."""
    return dict(await guarded(runtime, lambda uow: use.open_consultation(uow, body, actor.id, ctx)))


@router.get("")
async def list_all(
    _actor: CommitteeDep, runtime: RuntimeDep, alert_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """Every consultation, newest first; or the ones opened from one alert."""
    async with runtime.sessions() as session:
        return await use.list_consultations(session, alert_ids=[alert_id] if alert_id else None)


@router.get("/{consultation_id}")
async def one(
    consultation_id: uuid.UUID, _actor: CommitteeDep, runtime: RuntimeDep
) -> dict[str, Any]:
    try:
        async with runtime.sessions() as session:
            return await use.get(session, consultation_id)
    except MediationError as exc:
        raise http_error(exc) from exc


@router.post("/{consultation_id}/sessions")
async def add_session(
    consultation_id: uuid.UUID,
    body: use.SessionIn,
    actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> dict[str, Any]:
    """A meeting held: when, where, who, what was said."""
    return dict(
        await guarded(
            runtime, lambda uow: use.add_session(uow, consultation_id, body, actor.id, ctx)
        )
    )


@router.post("/{consultation_id}/agreement")
async def agree(
    consultation_id: uuid.UUID,
    body: use.AgreementIn,
    actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> dict[str, Any]:
    """The rule changes agreed, the day they take effect and the follow-up date."""
    return dict(
        await guarded(
            runtime,
            lambda uow: use.record_agreement(uow, consultation_id, body, actor.id, ctx),
        )
    )


@router.post("/{consultation_id}/close")
async def close(
    consultation_id: uuid.UUID,
    body: use.CloseIn,
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> dict[str, Any]:
    """The outcome: the company changed its rule, in part, or not."""
    return dict(await guarded(runtime, lambda uow: use.close(uow, consultation_id, body, ctx)))


@router.get("/{consultation_id}/effect")
async def effect(
    consultation_id: uuid.UUID,
    _actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    before: Annotated[int, Query(ge=1, le=24)] = 3,
    after: Annotated[int, Query(ge=1, le=24)] = 3,
) -> dict[str, Any]:
    """规范一片 The pattern's disputes per month before and after the agreed change (every
    respondent counts); months still to come are left out."""
    try:
        async with runtime.sessions() as session:
            return await use.effect(session, consultation_id, before, after, ctx)
    except MediationError as exc:
        raise http_error(exc) from exc
