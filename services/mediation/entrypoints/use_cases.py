"""How a mediation route runs a use case: in a unit of work, its domain errors turned into
clear HTTP answers, the personal fields it writes audited with its commit; and, for a step on
a dispute, the answer is the dispute as the caller now sees it (that read audited too)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException

from services.mediation.domain.errors import MediationError
from services.mediation.entrypoints import personal_fields
from services.mediation.entrypoints.dependencies import (
    ActorDep,
    AuditDep,
    ContextDep,
    RuntimeDep,
)
from services.mediation.entrypoints.errors import http_error
from services.mediation.entrypoints.schemas import DisputePublic
from services.mediation.service_layer import views
from services.mediation.service_layer.context import Context
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.audit.fields import names_present
from shared.platform.audit.log import AuditLog
from shared.platform.runtime import ServiceRuntime

Work = Callable[[UnitOfWork], Awaitable[Any]]


async def guarded(runtime: ServiceRuntime, work: Work) -> Any:
    """Run one use case in a unit of work; domain errors become clear HTTP errors."""
    try:
        async with runtime.uow() as uow:
            return await work(uow)
    except MediationError as exc:
        raise http_error(exc) from exc


def changing(audit: AuditLog, fields: list[str], work: Work) -> Work:
    """The use case, its commit carrying an audit entry of the personal fields it writes."""

    async def audited(uow: UnitOfWork) -> Any:
        audit.on_commit(uow.session, "update", fields=fields)
        return await work(uow)

    return audited


class DisputeSteps:
    """What a route on one dispute works with: the runtime, the context, the audit log and
    the caller; `show` answers with the dispute, `run` takes a step and then shows it."""

    def __init__(
        self, runtime: RuntimeDep, ctx: ContextDep, audit: AuditDep, actor: ActorDep
    ) -> None:
        self.runtime: ServiceRuntime = runtime
        self.ctx: Context = ctx
        self.audit: AuditLog = audit
        self.actor: Actor = actor

    async def show(self, case_id: uuid.UUID) -> DisputePublic:
        """The dispute as the caller sees it; the personal fields shown are audited."""
        async with self.runtime.uow() as uow:
            detail = await views.dispute_detail(uow, case_id, self.actor, self.ctx.calendar)
        if detail is None:
            raise HTTPException(404, "no such dispute")
        shown = DisputePublic(**detail)
        fields = names_present(shown, personal_fields.DISPUTE)
        await self.audit.read(case_id=case_id, fields=fields)
        return shown

    async def run(self, work: Work) -> DisputePublic:
        dispute = await guarded(self.runtime, work)
        return await self.show(dispute.case_id)

    async def guarded(self, work: Work) -> Any:
        return await guarded(self.runtime, work)

    def changing(self, fields: list[str], work: Work) -> Work:
        return changing(self.audit, fields, work)


StepsDep = Annotated[DisputeSteps, Depends()]
