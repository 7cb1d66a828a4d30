"""Notify's API: delivery logs, a party's in-app inbox and its notification preferences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlmodel import col, select

from services.notify.adapters.tables import AUDIT, Delivery, Preference
from services.notify.domain.errors import NotYourParty
from services.notify.domain.parties import is_operator, party_key
from services.notify.domain.quiet_hours import QuietHours
from services.notify.entrypoints.errors import http_error
from services.notify.entrypoints.schemas import (
    DeliveryPublic,
    DeliverySummary,
    InboxMessage,
    PreferenceIn,
    PreferenceOut,
)
from services.notify.service_layer import preferences
from shared.audit.fields import names_present
from shared.audit.http import AuditCaller
from shared.audit.log import AuditLog
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.clock import SYSTEM_CLOCK
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
# The personal fields of the delivery log and of the inbox (never a target address).
DELIVERY_LOG = frozenset({"party_id", "last_error"})
INBOX = frozenset({"subject", "body"})
_FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not the caller's own, and the caller is no operator"}
}


def _log(rows: Sequence[Delivery]) -> list[DeliveryPublic]:
    return [DeliveryPublic(delivery_id=d.id, **d.model_dump(exclude={"id"})) for d in rows]


def _summary(rows: Sequence[Delivery]) -> DeliverySummary:
    summary = DeliverySummary()
    for d in rows:
        setattr(summary, d.status, getattr(summary, d.status) + 1)
    return summary


def _inbox(d: Delivery) -> InboxMessage:
    return InboxMessage(delivery_id=d.id, **d.model_dump(exclude={"id"}))


def _pref_out(p: Preference, quiet: QuietHours) -> PreferenceOut:
    return PreferenceOut(
        party_id=p.party_id,
        opted_out=p.opted_out,
        channels=None if p.channels is None else [c for c in p.channels.split(",") if c],
        quiet_hours_start=p.quiet_start,
        quiet_hours_end=p.quiet_end,
        default_quiet_hours=f"{quiet.start:%H:%M}-{quiet.end:%H:%M} Asia/Shanghai",
    )


def build_router(runtime: ServiceRuntime, quiet: QuietHours) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1", tags=["deliveries"], dependencies=[*AUTHENTICATED, *AuditCaller]
    )
    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)

    async def audited(
        rows: Sequence[DeliveryPublic | InboxMessage],
        personal: frozenset[str],
        case_id: uuid.UUID | None = None,
    ) -> None:
        """One entry for the answer: a case's log, or a list (its cases)."""
        fields = names_present(rows, personal)
        if case_id is not None:
            await audit.read(case_id=case_id, fields=fields)
        else:
            await audit.read("list", fields=fields, case_ids=sorted({r.case_id for r in rows}))

    async def _deliveries(*conditions: object) -> list[Delivery]:
        stmt = select(Delivery).where(*conditions)  # type: ignore[arg-type]
        async with runtime.sessions() as session:
            rows = await session.exec(stmt.order_by(col(Delivery.created_at), col(Delivery.id)))
            return list(rows.all())

    def _operator(actor: Actor) -> None:
        if not is_operator(actor):
            raise HTTPException(
                403, "the delivery log of a case is for the committee and operators"
            )

    def _self_or_operator(actor: Actor, party_id: str) -> None:
        if not is_operator(actor) and party_key(actor) != party_id:
            raise HTTPException(403, "only your own deliveries")

    @router.get(
        "/cases/{case_id}/deliveries", response_model=list[DeliveryPublic], responses=_FORBIDDEN
    )
    async def case_deliveries(case_id: uuid.UUID, actor: ActorDep) -> list[DeliveryPublic]:
        """Every delivery of a case (committee and operators): status, attempts, last error."""
        _operator(actor)
        log = _log(await _deliveries(Delivery.case_id == case_id))
        await audited(log, DELIVERY_LOG, case_id)
        return log

    @router.get(
        "/cases/{case_id}/deliveries/summary", response_model=DeliverySummary, responses=_FORBIDDEN
    )
    async def case_summary(case_id: uuid.UUID, actor: ActorDep) -> DeliverySummary:
        """How many deliveries of a case are queued, sent and failed."""
        _operator(actor)
        return _summary(await _deliveries(Delivery.case_id == case_id))

    @router.get(
        "/parties/{party_id}/deliveries", response_model=list[DeliveryPublic], responses=_FORBIDDEN
    )
    async def party_deliveries(party_id: str, actor: ActorDep) -> list[DeliveryPublic]:
        """Every delivery to one party: the party itself, the committee or an operator."""
        _self_or_operator(actor, party_id)
        log = _log(await _deliveries(Delivery.party_id == party_id))
        await audited(log, DELIVERY_LOG)
        return log

    @router.get(
        "/parties/{party_id}/deliveries/summary",
        response_model=DeliverySummary,
        responses=_FORBIDDEN,
    )
    async def party_summary(party_id: str, actor: ActorDep) -> DeliverySummary:
        """How many deliveries to one party are queued, sent and failed."""
        _self_or_operator(actor, party_id)
        return _summary(await _deliveries(Delivery.party_id == party_id))

    @router.get("/inbox", response_model=list[InboxMessage])
    async def inbox(
        actor: ActorDep,
        unread: bool = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> list[InboxMessage]:
        """The caller's own in-app messages, newest first."""
        stmt = select(Delivery).where(
            Delivery.channel == "inapp", Delivery.party_id == party_key(actor)
        )
        if unread:
            stmt = stmt.where(col(Delivery.read_at).is_(None))
        async with runtime.sessions() as session:
            rows = (
                await session.exec(stmt.order_by(col(Delivery.created_at).desc()).limit(limit))
            ).all()
        messages = [_inbox(d) for d in rows]
        await audited(messages, INBOX)
        return messages

    @router.post(
        "/inbox/{delivery_id}/read",
        response_model=InboxMessage,
        responses={404: {"description": "Not in the caller's inbox"}},
    )
    async def mark_read(delivery_id: uuid.UUID, actor: ActorDep) -> InboxMessage:
        """Mark one of the caller's own messages read."""
        async with runtime.sessions() as session, session.begin():
            row = await session.get(Delivery, delivery_id)
            if row is None or row.channel != "inapp" or row.party_id != party_key(actor):
                raise HTTPException(404, "no such message in your inbox")
            row.read_at = row.read_at or (runtime.clock or SYSTEM_CLOCK).now()
            session.add(row)
        return _inbox(row)

    @router.get(
        "/parties/{party_id}/preferences", response_model=PreferenceOut, responses=_FORBIDDEN
    )
    async def read_preferences(party_id: str, actor: ActorDep) -> PreferenceOut:
        """The caller's own preferences (defaults when never set)."""
        try:
            async with runtime.uow() as uow:
                pref = await preferences.get_preference(uow, actor, party_id)
                return _pref_out(pref, quiet)
        except NotYourParty as exc:
            raise http_error(exc) from exc

    @router.put(
        "/parties/{party_id}/preferences", response_model=PreferenceOut, responses=_FORBIDDEN
    )
    async def write_preferences(
        party_id: str, body: PreferenceIn, actor: ActorDep
    ) -> PreferenceOut:
        """Opt out, choose channels, set quiet hours; legal notices still reach you."""
        window = (
            (body.quiet_hours_start, body.quiet_hours_end)
            if body.quiet_hours_start and body.quiet_hours_end
            else None
        )
        try:
            async with runtime.uow() as uow:
                pref = await preferences.set_preference(
                    uow,
                    actor,
                    party_id,
                    opted_out=body.opted_out,
                    channels=None if body.channels is None else list(body.channels),
                    quiet_hours=window,
                )
                return _pref_out(pref, quiet)
        except NotYourParty as exc:
            raise http_error(exc) from exc

    return router
