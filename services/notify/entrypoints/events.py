"""Notify's event subscriptions: every catalogued event is planned against the rules."""

from __future__ import annotations

from services.notify.service_layer.planning import PlanContext, plan_deliveries
from shared.contracts.catalogue import CATALOGUE
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.uow import UnitOfWork


def handlers(ctx: PlanContext) -> dict[str, Handler]:
    async def on_event(envelope: Envelope, uow: UnitOfWork) -> None:
        await plan_deliveries(envelope, uow, ctx)

    return {name: on_event for name, spec in CATALOGUE.items() if spec.producer != "notify"}
