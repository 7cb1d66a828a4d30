"""Legal help on duty at stations, projected from mediation's `roster.published` events (dispatch
never reads mediation's tables). Each event carries the whole set of station shifts, so applying
it replaces the set; an event whose revision is not newer (a replay, a late copy) changes nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from services.dispatch.adapters import station_store as store
from services.dispatch.domain.duty import DutyShift
from services.dispatch.service_layer.context import Context
from shared.contracts.envelope import Envelope
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


class RosterView(BaseModel):
    """What dispatch reads of `roster.published` (a tolerant reader: the rest is ignored)."""

    model_config = ConfigDict(extra="ignore")

    revision: int
    station_duty: list[DutyShift] = []


async def on_roster_published(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of `roster.published`: the stations' duty becomes the roster's newest."""
    try:
        roster = read_payload(envelope, RosterView)
    except ValidationError as exc:
        raise PermanentError(f"roster.published payload: {exc}") from exc
    if roster.revision <= await store.revision(uow.session, store.ROSTER):
        return
    now = ctx.clock.now()
    await store.replace_duties(uow.session, roster.station_duty)
    await store.set_revision(uow.session, store.ROSTER, roster.revision, now)
    await store.bump(uow.session, now)
