"""Where disputes are filed from, kept for the coverage of the 15-minute circle: only
when the filing gave a place, rounded to about 100 m, with the nearest town; no name, no
contact. Hazards need no copy: dispatch keeps them whole."""

from __future__ import annotations

from services.dispatch.adapters.tables import DisputePlace
from services.dispatch.domain.reach import haversine_m
from services.dispatch.service_layer.context import Context
from shared.contracts.envelope import Envelope
from shared.contracts.filed import UnreadableFiling, filed_case
from shared.messaging.uow import UnitOfWork


async def record_dispute_place(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """After `case.filed` of a dispute with a place: keep where and when (once per case)."""
    try:
        filed = filed_case(envelope, "dispute")
    except UnreadableFiling:
        return
    if filed is None or filed.dispute is None:
        return
    point = filed.dispute.location
    if point is None or await uow.session.get(DisputePlace, envelope.case_id) is not None:
        return
    centres = ctx.district.centres
    town = min(centres, key=lambda t: haversine_m(point.lat, point.lng, *centres[t]))
    uow.session.add(
        DisputePlace(
            case_id=envelope.case_id,
            latitude=round(point.lat, 3),
            longitude=round(point.lng, 3),
            town=filed.jurisdiction or town,
            filed_at=envelope.occurred_at,
        )
    )
