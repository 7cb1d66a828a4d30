"""A party sets its own notification preferences (views.py reads them)."""

from __future__ import annotations

from typing import Any

from services.notify.adapters.tables import Preference
from services.notify.domain.errors import NotYourParty
from services.notify.domain.parties import party_key
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


def own_party(actor: Actor, party_id: str) -> str:
    """The party id if it is the caller's own; NotYourParty otherwise."""
    if party_key(actor) != party_id:
        raise NotYourParty(party_id)
    return party_id


async def set_preference(
    uow: UnitOfWork,
    actor: Actor,
    party_id: str,
    *,
    opted_out: bool,
    channels: list[str] | None,
    quiet_hours: tuple[str, str] | None,
) -> dict[str, Any]:
    """Replace the caller's preferences (critical notices ignore them anyway); the stored
    preferences as plain data (what `views.preference` reads)."""
    own_party(actor, party_id)
    pref = await uow.session.get(Preference, party_id) or Preference(party_id=party_id)
    pref.opted_out = opted_out
    pref.channels = None if channels is None else ",".join(sorted(set(channels)))
    pref.quiet_start, pref.quiet_end = quiet_hours or (None, None)
    pref.updated_at = uow.now()
    uow.session.add(pref)
    await uow.commit()
    return pref.model_dump()
