"""A party's in-app inbox: its own messages, and marking one read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from services.notify.domain.parties import party_key
from services.notify.entrypoints.dependencies import ActorDep, AuditDep, RuntimeDep
from services.notify.entrypoints.read_audit import INBOX, audited
from services.notify.entrypoints.schemas import InboxMessage
from services.notify.service_layer import inbox as use
from services.notify.service_layer import views
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.clock import SYSTEM_CLOCK

router = APIRouter(
    prefix="/api/v1/inbox", tags=["deliveries"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


@router.get("", response_model=list[InboxMessage])
async def inbox(
    actor: ActorDep,
    runtime: RuntimeDep,
    audit: AuditDep,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[InboxMessage]:
    """The caller's own in-app messages, newest first."""
    async with runtime.sessions() as session:
        rows = await views.inbox(session, party_key(actor), unread=unread, limit=limit)
    messages = [InboxMessage(**d) for d in rows]
    await audited(audit, messages, INBOX)
    return messages


@router.post(
    "/{delivery_id}/read",
    response_model=InboxMessage,
    responses={404: {"description": "Not in the caller's inbox"}},
)
async def mark_read(delivery_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep) -> InboxMessage:
    """Mark one of the caller's own messages read."""
    async with runtime.sessions() as session:
        message = await use.mark_read(
            session, delivery_id, party_key(actor), runtime.clock or SYSTEM_CLOCK
        )
    if message is None:
        raise HTTPException(404, "no such message in your inbox")
    return InboxMessage(**message)
