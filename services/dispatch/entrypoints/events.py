"""Dispatch's event subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.dispatch.domain.directory import Directory
from services.dispatch.service_layer.routing import receive_hazard
from services.dispatch.service_layer.work import on_reporter_answer
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.uow import UnitOfWork


def handlers(directory: Directory, now: Callable[[], datetime]) -> dict[str, Handler]:
    async def on_case_filed(envelope: Envelope, uow: UnitOfWork) -> None:
        await receive_hazard(envelope, uow, directory, now)

    async def on_answer(envelope: Envelope, uow: UnitOfWork) -> None:
        await on_reporter_answer(envelope, uow, directory, now)

    return {
        "case.filed": on_case_filed,
        "reporter.confirmed_fixed": on_answer,
        "reporter.reported_not_fixed": on_answer,
    }
