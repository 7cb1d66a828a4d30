"""Notify's API: the delivery log of a case, and a party's in-app inbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlmodel import col, select

from services.notify.adapters.tables import Delivery
from services.notify.entrypoints.schemas import DeliveryPublic, InboxMessage
from shared.actors import actor_from_headers
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(actor_from_headers)]


def _public(d: Delivery) -> DeliveryPublic:
    return DeliveryPublic(delivery_id=d.id, **d.model_dump(exclude={"id"}))


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["deliveries"])

    @router.get("/cases/{case_id}/deliveries", response_model=list[DeliveryPublic])
    async def case_deliveries(case_id: uuid.UUID) -> list[DeliveryPublic]:
        """Every delivery of a case: queued, sent or failed, with attempts and last error."""
        async with runtime.sessions() as session:
            rows = (
                await session.exec(
                    select(Delivery)
                    .where(Delivery.case_id == case_id)
                    .order_by(col(Delivery.created_at), col(Delivery.id))
                )
            ).all()
        return [_public(d) for d in rows]

    @router.get("/inbox", response_model=list[InboxMessage])
    async def inbox(
        actor: ActorDep,
        unread: bool = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> list[InboxMessage]:
        """The caller's own in-app messages, newest first."""
        stmt = select(Delivery).where(Delivery.channel == "inapp", Delivery.party_id == actor.id)
        if unread:
            stmt = stmt.where(col(Delivery.read_at).is_(None))
        async with runtime.sessions() as session:
            rows = (
                await session.exec(stmt.order_by(col(Delivery.created_at).desc()).limit(limit))
            ).all()
        return [InboxMessage(delivery_id=d.id, **d.model_dump(exclude={"id"})) for d in rows]

    @router.post(
        "/inbox/{delivery_id}/read",
        response_model=InboxMessage,
        responses={404: {"description": "Not in the caller's inbox"}},
    )
    async def mark_read(delivery_id: uuid.UUID, actor: ActorDep) -> InboxMessage:
        """Mark one of the caller's own messages read."""
        async with runtime.sessions() as session, session.begin():
            row = await session.get(Delivery, delivery_id)
            if row is None or row.channel != "inapp" or row.party_id != actor.id:
                raise HTTPException(404, "no such message in your inbox")
            row.read_at = row.read_at or datetime.now(UTC)
            session.add(row)
        return InboxMessage(delivery_id=row.id, **row.model_dump(exclude={"id"}))

    return router
