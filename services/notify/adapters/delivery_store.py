"""The SQL delivery repository: `delivery` rows <-> the Delivery aggregate, and the Core
statements the worker runs per round and per send (built once: SQLAlchemy's compiled cache
then skips their compilation, and no ORM object is made per row). Planning's inserts are in
`case_store.py`, with the batch's other writes."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.tables import Delivery as DeliveryRow
from services.notify.domain.delivery import Delivery
from shared.messaging.uow import UnitOfWork

# The aggregate's fields that are columns (the rest is its unpublished events).
COLUMNS = tuple(f.name for f in fields(Delivery) if f.name != "events")
DELIVERY: sa.Table = DeliveryRow.__table__  # type: ignore[attr-defined]

_WRITTEN = tuple(name for name in COLUMNS if name != "id")
_ID: sa.BindParameter[uuid.UUID] = sa.bindparam("delivery_id")
_GET = sa.select(*(DELIVERY.c[name] for name in COLUMNS)).where(DELIVERY.c.id == _ID)
_SAVE = sa.update(DELIVERY).where(DELIVERY.c.id == _ID)
# The same, only while the row still carries the lease its sender took (nobody overtook it).
_SAVE_HELD = _SAVE.where(DELIVERY.c.lease_until == sa.bindparam("held"))
# A lease on one due row for its send, if nobody sent or holds it meanwhile: the row as leased.
_CLAIM = (
    sa.update(DELIVERY)
    .where(
        DELIVERY.c.id == _ID,
        DELIVERY.c.status == "queued",
        sa.or_(DELIVERY.c.lease_until.is_(None), DELIVERY.c.lease_until < sa.bindparam("now")),
    )
    .values(lease_until=sa.bindparam("until"))
    .returning(*DELIVERY.c)
)


def due_rows(batch: int) -> sa.Select[tuple[uuid.UUID, uuid.UUID]]:
    """(id, case_id) of up to `batch` due rows, oldest first, of cases with no row leased
    (in flight) at `lease_now`; due at `now`."""
    busy = DELIVERY.alias("busy")
    in_flight = (
        sa.select(busy.c.id)
        .where(
            busy.c.case_id == DELIVERY.c.case_id,
            busy.c.status == "queued",
            busy.c.lease_until >= sa.bindparam("lease_now"),
        )
        .exists()
    )
    return (
        sa.select(DELIVERY.c.id, DELIVERY.c.case_id)
        .where(
            DELIVERY.c.status == "queued",
            DELIVERY.c.next_attempt_at <= sa.bindparam("now"),
            ~in_flight,
        )
        .order_by(DELIVERY.c.next_attempt_at, DELIVERY.c.created_at)
        .limit(batch)
    )


async def claim(
    conn: AsyncConnection | AsyncSession, delivery_id: uuid.UUID, now: datetime, until: datetime
) -> sa.Row[Any] | None:
    """Lease one row until `until` (in the caller's transaction): the row as leased, or None."""
    params = {"delivery_id": delivery_id, "now": now, "until": until}
    return (await conn.execute(_CLAIM, params)).first()


class LeaseLost(Exception):
    """The row no longer carries the lease it was claimed under: read it again."""


def delivery_of(row: Any) -> Delivery:
    """The aggregate from a row carrying (at least) its columns."""
    mapping = row._mapping
    return Delivery(**{name: mapping[name] for name in COLUMNS})


class SqlDeliveryRepository:
    """Over one unit of work's session; holds no state of its own."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._session = uow.session

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        conn = await self._session.connection()
        row = (await conn.execute(_GET, {"delivery_id": delivery_id})).first()
        return None if row is None else delivery_of(row)

    async def save(self, delivery: Delivery, held: datetime | None = None) -> None:
        """Write the aggregate's columns back; with `held`, only if the row still carries
        that lease (else `LeaseLost`, and nothing is written)."""
        values: dict[str, Any] = {name: getattr(delivery, name) for name in _WRITTEN}
        values["delivery_id"] = delivery.id
        if held is not None:
            values["held"] = held
        conn = await self._session.connection()
        result = await conn.execute(_SAVE if held is None else _SAVE_HELD, values)
        if not result.rowcount:
            if held is not None:
                raise LeaseLost(str(delivery.id))
            raise LookupError(f"delivery {delivery.id} is not stored")
