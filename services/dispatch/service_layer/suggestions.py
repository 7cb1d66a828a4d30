"""Where to go now, told when a ticket is filed (`station.suggested`): a dispute's runner hears of
the nearest station with legal help rostered and when it is on duty next; a hazard's reporter of
the nearest station open at filing time. Notify tells them; intake's tracking page shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.dispatch.domain.errors import InvalidStation
from services.dispatch.service_layer.context import SHANGHAI, Context
from services.dispatch.service_layer.nearest import Found, StationFinder
from shared.contracts.envelope import Envelope, new_event
from shared.contracts.events.dispatch import StationSuggested
from shared.contracts.events.intake import CaseFiled
from shared.contracts.filed import UnreadableFiling, filed_case
from shared.messaging.uow import UnitOfWork


def _place(filed: CaseFiled, ctx: Context) -> tuple[float, float, bool] | None:
    """The point to measure from: the filing's own, else its town's centre (approximate)."""
    point = filed.hazard.location if filed.hazard else None
    if filed.dispute is not None:
        point = filed.dispute.location
    if point is not None:
        return point.lat, point.lng, False
    centre = ctx.district.centres.get(filed.jurisdiction or "")
    return (centre[0], centre[1], True) if centre else None


async def _nearest(
    filed: CaseFiled, lat: float, lng: float, at: datetime, finder: StationFinder
) -> Found | None:
    if filed.kind == "hazard":
        found = await finder.nearest(lat, lng, open_now=True, at=at, limit=1)
    else:
        found = await finder.nearest(lat, lng, duty_soon=True, at=at, limit=1)
        found = found or await finder.nearest(lat, lng, facility="legal_help", at=at, limit=1)
    return found[0] if found else None


def _payload(filed: CaseFiled, found: Found, ctx: Context, from_centre: bool) -> StationSuggested:
    station, duty = found.station, found.next_duty
    return StationSuggested(
        purpose="open_station" if filed.kind == "hazard" else "legal_help",
        station_id=station.station_id,
        name=station.name,
        address=station.address,
        town_name=ctx.district.towns.get(station.town, ""),
        distance_m=round(found.metres),
        walk_minutes=found.walk_minutes,
        ebike_minutes=found.ebike_minutes,
        open_now=found.open_now,
        hours_text=station.hours.describe(),
        duty_body_name=duty.body_name if duty else None,
        duty_body_kind=duty.body_kind if duty else None,
        duty_starts=duty.starts.astimezone(UTC) if duty else None,
        duty_ends=duty.ends.astimezone(UTC) if duty else None,
        from_town_centre=from_centre,
    )


async def suggest_station(
    envelope: Envelope, uow: UnitOfWork, ctx: Context, finder: StationFinder
) -> None:
    """After `case.filed`: announce the nearest help (none for a merged duplicate or no place)."""
    try:
        filed = filed_case(envelope)
    except UnreadableFiling:
        return  # a hazard's bad payload is receive_hazard's to refuse; a dispute's is not ours
    place = _place(filed, ctx) if filed is not None else None
    if filed is None or filed.duplicate_of is not None or place is None:
        return
    lat, lng, from_centre = place
    try:
        found = await _nearest(filed, lat, lng, envelope.occurred_at.astimezone(SHANGHAI), finder)
    except InvalidStation:
        return  # a place outside the district: no station of ours is near it
    if found is None:
        return
    uow.emit(
        new_event(
            "station.suggested",
            _payload(filed, found, ctx, from_centre),
            case_id=envelope.case_id,
            producer="dispatch",
            cause=envelope,
            occurred_at=uow.now(),
        )
    )
