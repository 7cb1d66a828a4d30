"""What notify's routes read, as plain data: the routes never touch a table or a row.

Each view takes the session (or unit of work) the route opened and returns dicts, a delivery
keyed `delivery_id` and without its target address (no answer shows it).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.tables import Delivery, Preference
from services.notify.domain.preferences import INBOX
from services.notify.service_layer.preferences import own_party
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


def delivery_fields(d: Delivery) -> dict[str, Any]:
    """A delivery as the API may show it: keyed `delivery_id`, never its target."""
    return {"delivery_id": d.id, **d.model_dump(exclude={"id", "target"})}


async def _deliveries(session: AsyncSession, *conditions: Any) -> list[dict[str, Any]]:
    stmt = select(Delivery).where(*conditions)
    rows = await session.exec(stmt.order_by(col(Delivery.created_at), col(Delivery.id)))
    return [delivery_fields(d) for d in rows.all()]


async def case_deliveries(session: AsyncSession, case_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every delivery of a case, oldest first."""
    return await _deliveries(session, Delivery.case_id == case_id)


async def party_deliveries(session: AsyncSession, party_id: str) -> list[dict[str, Any]]:
    """Every delivery to one party, oldest first."""
    return await _deliveries(session, Delivery.party_id == party_id)


async def inbox(
    session: AsyncSession, party_id: str, *, unread: bool, limit: int
) -> list[dict[str, Any]]:
    """A party's in-app messages, newest first (only the unread ones when `unread`)."""
    stmt = select(Delivery).where(Delivery.channel == INBOX, Delivery.party_id == party_id)
    if unread:
        stmt = stmt.where(col(Delivery.read_at).is_(None))
    rows = await session.exec(stmt.order_by(col(Delivery.created_at).desc()).limit(limit))
    return [delivery_fields(d) for d in rows.all()]


async def preference(uow: UnitOfWork, actor: Actor, party_id: str) -> dict[str, Any]:
    """The caller's preferences, or the defaults when never set (NotYourParty for another's)."""
    own_party(actor, party_id)
    found = await uow.session.get(Preference, party_id) or Preference(party_id=party_id)
    return found.model_dump()
