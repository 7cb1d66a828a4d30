"""Notify's event subscriptions: every catalogued event is planned against the rules."""

from __future__ import annotations

from services.notify.service_layer.context import Context
from services.notify.service_layer.planning import plan_deliveries
from services.notify.service_layer.retention import CLOSING_EVENTS, note_closure
from shared.contracts.catalogue import CATALOGUE
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.uow import UnitOfWork


def handlers(ctx: Context) -> dict[str, Handler]:
    async def on_event(envelope: Envelope, uow: UnitOfWork) -> None:
        await plan_deliveries(envelope, uow, ctx)
        if envelope.event_type in CLOSING_EVENTS or envelope.event_type.endswith(".reopened"):
            await note_closure(envelope, uow)

    return {name: on_event for name, spec in CATALOGUE.items() if spec.producer != "notify"}
