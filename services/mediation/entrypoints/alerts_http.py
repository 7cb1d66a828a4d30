"""The committee's pattern alerts: one company, one dispute type, N disputes in the window;
listed, and closed once the committee dealt with the pattern."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from services.mediation.entrypoints.dependencies import CommitteeDep, ContextDep, RuntimeDep
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.schemas import AlertClosing
from services.mediation.entrypoints.use_cases import guarded
from services.mediation.service_layer import patterns, views
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/committee/alerts",
    tags=["committee"],
    responses=ERRORS,
    dependencies=AUTHENTICATED,
)


@router.get("")
async def alerts(
    _actor: CommitteeDep, runtime: RuntimeDep, status: str | None = "open"
) -> list[dict[str, Any]]:
    """Pattern alerts: one company, one dispute type, N disputes in the window (with each
    dispute's tracking code beside its case id)."""
    async with runtime.uow() as uow:
        return await views.alerts(uow, status)


@router.post("/{alert_id}/close")
async def close_alert(
    alert_id: uuid.UUID,
    actor: CommitteeDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
    body: AlertClosing | None = None,
) -> dict[str, Any]:
    """The committee dealt with the pattern (`note`: what it did, e.g. an industry
    consultation); a later run of disputes raises a new alert. Closed twice: 409."""
    note = body.note if body else ""
    alert = await guarded(
        runtime, lambda uow: patterns.close_alert(alert_id, uow, ctx, note, actor)
    )
    return dict(alert.model_dump())
