"""Dispatch's event subscriptions: intake's events about hazards, mediation's roster."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.corrections import on_case_corrected
from services.dispatch.service_layer.duplicates import on_case_merged
from services.dispatch.service_layer.duty_projection import on_roster_published
from services.dispatch.service_layer.loop import on_reporter_answer
from services.dispatch.service_layer.nearest import StationFinder
from services.dispatch.service_layer.report_places import record_dispute_place
from services.dispatch.service_layer.routing import on_case_unmerged, receive_hazard
from services.dispatch.service_layer.suggestions import suggest_station
from services.dispatch.service_layer.updates import on_department_update
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Handler
from shared.messaging.uow import UnitOfWork

UseCase = Callable[[Envelope, UnitOfWork, Context], Awaitable[None]]


def handlers(ctx: Context, finder: StationFinder) -> dict[str, Handler]:
    """event type -> handler; each handler leaves the commit to the consumer kit."""

    async def filed(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
        """A filed hazard is routed; every filing hears of the nearest station to go to."""
        await receive_hazard(envelope, uow, ctx)
        await record_dispute_place(envelope, uow, ctx)
        await suggest_station(envelope, uow, ctx, finder)

    def bind(use_case: UseCase) -> Handler:
        async def handle(envelope: Envelope, uow: UnitOfWork) -> None:
            await use_case(envelope, uow, ctx)

        handle.__doc__ = use_case.__doc__
        return handle

    return {
        "case.filed": bind(filed),
        "case.merged": bind(on_case_merged),
        "case.unmerged": bind(on_case_unmerged),
        "case.corrected": bind(on_case_corrected),
        "department.update_posted": bind(on_department_update),
        "reporter.confirmed_fixed": bind(on_reporter_answer),
        "reporter.reported_not_fixed": bind(on_reporter_answer),
        "roster.published": bind(on_roster_published),
    }
