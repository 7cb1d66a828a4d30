"""The delivery repository port: the worker loads a delivery, applies an outcome, saves it.

The SQL adapter is `adapters/delivery_store.py`; tests bring an in-memory one on a fake unit
of work."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from services.notify.adapters.delivery_store import SqlDeliveryRepository
from services.notify.domain.delivery import Delivery
from shared.messaging.uow import UnitOfWork


class DeliveryRepository(Protocol):
    async def get(self, delivery_id: uuid.UUID) -> Delivery | None: ...
    async def save(self, delivery: Delivery, held: datetime | None = None) -> None: ...


def deliveries_in(uow: UnitOfWork) -> DeliveryRepository:
    """The transaction's deliveries: the repository a unit of work brings (a fake one), else SQL.

    The shared UnitOfWork serves four services and knows none of their aggregates, so the
    SQL repository is built here over its session rather than held by it."""
    own: DeliveryRepository | None = getattr(uow, "deliveries", None)
    return own if own is not None else SqlDeliveryRepository(uow)
