"""What mediation's routes take from the app they run in, as typed FastAPI dependencies.

`create_app` builds the runtime, the context and the audit log once and leaves them on
`app.state`; a route names what it needs in its signature. The routers are then plain
module-level objects: nothing is captured in a closure, and a test may override any part.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.mediation.domain.clocks import local_date
from services.mediation.service_layer.context import Context
from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import current_actor
from shared.platform.runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    """The service's runtime (shared/platform/service_app.py sets it)."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def context_of(request: Request) -> Context:
    """Mediation's context: roster file, calendar, policy, clock (app.py sets it)."""
    ctx: Context = request.app.state.context
    return ctx


def audit_of(request: Request) -> AuditLog:
    """The service's audit log (app.py sets it)."""
    audit: AuditLog = request.app.state.audit
    return audit


RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_of)]
ContextDep = Annotated[Context, Depends(context_of)]
AuditDep = Annotated[AuditLog, Depends(audit_of)]
ActorDep = Annotated[Actor, Depends(current_actor)]


def today_of(ctx: ContextDep) -> date:
    """The local day (Asia/Shanghai) by the service's clock."""
    return local_date(ctx.now())


TodayDep = Annotated[date, Depends(today_of)]

READERS = ("committee", "admin")


def committee_only(actor: ActorDep) -> Actor:
    if actor.role not in READERS:
        raise HTTPException(403, "the committee's console is for the committee")
    return actor


CommitteeDep = Annotated[Actor, Depends(committee_only)]
