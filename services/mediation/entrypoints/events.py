"""Mediation's event subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.mediation.domain.roster import Roster
from services.mediation.service_layer.registration import register_dispute
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.uow import UnitOfWork


def handlers(roster: Roster, now: Callable[[], datetime]) -> dict[str, Handler]:
    async def on_case_filed(envelope: Envelope, uow: UnitOfWork) -> None:
        await register_dispute(envelope, uow, roster, now)

    return {"case.filed": on_case_filed}
