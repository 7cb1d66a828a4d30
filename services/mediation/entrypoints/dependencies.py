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
from shared.platform.app_state import ActorDep as ActorDep
from shared.platform.app_state import AuditDep as AuditDep
from shared.platform.app_state import RuntimeDep as RuntimeDep


async def context_of(request: Request) -> Context:
    """Mediation's context: roster file, calendar, policy, clock (app.py sets it)."""
    ctx: Context = request.app.state.context
    return ctx


ContextDep = Annotated[Context, Depends(context_of)]


async def today_of(ctx: ContextDep) -> date:
    """The local day (Asia/Shanghai) by the service's clock."""
    return local_date(ctx.now())


TodayDep = Annotated[date, Depends(today_of)]

READERS = ("committee", "admin")


async def committee_only(actor: ActorDep) -> Actor:
    if actor.role not in READERS:
        raise HTTPException(403, "the committee's console is for the committee")
    return actor


CommitteeDep = Annotated[Actor, Depends(committee_only)]
