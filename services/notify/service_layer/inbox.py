"""A party's in-app inbox: marking one of its own messages read."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.tables import Delivery
from services.notify.domain.preferences import INBOX
from services.notify.service_layer.views import delivery_fields
from shared.platform.clock import Clock


async def mark_read(
    session: AsyncSession, delivery_id: uuid.UUID, party_id: str, clock: Clock
) -> dict[str, Any] | None:
    """Mark the party's own message read (the first reading's time stays); the message, or
    None when it is not in that party's inbox."""
    async with session.begin():
        row = await session.get(Delivery, delivery_id)
        if row is None or row.channel != INBOX or row.party_id != party_id:
            return None
        row.read_at = row.read_at or clock.now()
        session.add(row)
    return delivery_fields(row)
