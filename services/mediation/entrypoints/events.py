"""Mediation's event subscriptions and timers."""

from __future__ import annotations

from services.mediation.service_layer import deadlines, sessions, supplements
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.registration import register_dispute
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.timers import Timer, TimerHandler
from shared.messaging.uow import UnitOfWork


def handlers(ctx: Context) -> dict[str, Handler]:
    async def on_case_filed(envelope: Envelope, uow: UnitOfWork) -> None:
        """A filed dispute is registered for the committee's acceptance review."""
        await register_dispute(envelope, uow, ctx)

    async def on_dispute_supplemented(envelope: Envelope, uow: UnitOfWork) -> None:
        """An application completed before acceptance: the dispute's view takes it."""
        await supplements.apply_supplement(envelope, uow)

    return {"case.filed": on_case_filed, "dispute.supplemented": on_dispute_supplemented}


def timer_handler(ctx: Context) -> TimerHandler:
    async def on_timer(timer: Timer, uow: UnitOfWork) -> None:
        if timer.kind.startswith(sessions.REMINDER):
            await sessions.on_reminder(timer, uow)
        else:
            await deadlines.on_timer(timer, uow, ctx)

    return on_timer
