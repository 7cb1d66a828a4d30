"""The SQL delivery repository: `delivery` rows <-> the Delivery aggregate, and the Core
statements the hot path runs per batch of events and per send (built once: SQLAlchemy's
compiled cache then skips their compilation, and no ORM object is made per row)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.tables import Delivery as DeliveryRow
from services.notify.domain.delivery import Delivery
from shared.messaging.uow import UnitOfWork

# The aggregate's fields that are columns (the rest is its unpublished events).
COLUMNS = tuple(f.name for f in fields(Delivery) if f.name != "events")
DELIVERY: sa.Table = DeliveryRow.__table__  # type: ignore[attr-defined]
_PLAN = sa.insert(DELIVERY)


async def insert_planned(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """An event's planned deliveries, every column given, in one INSERT (many VALUES)."""
    await session.execute(_PLAN, list(rows))


class SqlDeliveryRepository:
    """Over one unit of work's session; holds no state of its own."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._session = uow.session

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        row = await self._session.get(DeliveryRow, delivery_id)
        if row is None:
            return None
        return Delivery(**{name: getattr(row, name) for name in COLUMNS})

    async def save(self, delivery: Delivery) -> None:
        row = await self._session.get(DeliveryRow, delivery.id)
        if row is None:
            raise LookupError(f"delivery {delivery.id} is not stored")
        for name in COLUMNS:
            setattr(row, name, getattr(delivery, name))
        self._session.add(row)
