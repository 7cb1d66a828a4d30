"""The delivery log: every delivery of a case (committee and operators) or to one party
(that party too), and how many are queued, sent and failed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException

from services.notify.domain.parties import is_operator, party_key
from services.notify.entrypoints.dependencies import ActorDep, AuditDep, RuntimeDep
from services.notify.entrypoints.errors import FORBIDDEN
from services.notify.entrypoints.read_audit import DELIVERY_LOG, audited
from services.notify.entrypoints.schemas import DeliveryPublic, DeliverySummary
from services.notify.service_layer import views
from shared.contracts.envelope import Actor
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1", tags=["deliveries"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


def _log(rows: Sequence[dict[str, Any]]) -> list[DeliveryPublic]:
    return [DeliveryPublic(**d) for d in rows]


def _summary(rows: Sequence[dict[str, Any]]) -> DeliverySummary:
    summary = DeliverySummary()
    for d in rows:
        setattr(summary, d["status"], getattr(summary, d["status"]) + 1)
    return summary


def _operator(actor: Actor) -> None:
    if not is_operator(actor):
        raise HTTPException(403, "the delivery log of a case is for the committee and operators")


def _self_or_operator(actor: Actor, party_id: str) -> None:
    if not is_operator(actor) and party_key(actor) != party_id:
        raise HTTPException(403, "only your own deliveries")


@router.get("/cases/{case_id}/deliveries", response_model=list[DeliveryPublic], responses=FORBIDDEN)
async def case_deliveries(
    case_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep, audit: AuditDep
) -> list[DeliveryPublic]:
    """Every delivery of a case (committee and operators): status, attempts, last error."""
    _operator(actor)
    async with runtime.sessions() as session:
        log = _log(await views.case_deliveries(session, case_id))
    await audited(audit, log, DELIVERY_LOG, case_id)
    return log


@router.get(
    "/cases/{case_id}/deliveries/summary", response_model=DeliverySummary, responses=FORBIDDEN
)
async def case_summary(case_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep) -> DeliverySummary:
    """How many deliveries of a case are queued, sent and failed."""
    _operator(actor)
    async with runtime.sessions() as session:
        return _summary(await views.case_deliveries(session, case_id))


@router.get(
    "/parties/{party_id}/deliveries", response_model=list[DeliveryPublic], responses=FORBIDDEN
)
async def party_deliveries(
    party_id: str, actor: ActorDep, runtime: RuntimeDep, audit: AuditDep
) -> list[DeliveryPublic]:
    """Every delivery to one party: the party itself, the committee or an operator."""
    _self_or_operator(actor, party_id)
    async with runtime.sessions() as session:
        log = _log(await views.party_deliveries(session, party_id))
    await audited(audit, log, DELIVERY_LOG)
    return log


@router.get(
    "/parties/{party_id}/deliveries/summary", response_model=DeliverySummary, responses=FORBIDDEN
)
async def party_summary(party_id: str, actor: ActorDep, runtime: RuntimeDep) -> DeliverySummary:
    """How many deliveries to one party are queued, sent and failed."""
    _self_or_operator(actor, party_id)
    async with runtime.sessions() as session:
        return _summary(await views.party_deliveries(session, party_id))
