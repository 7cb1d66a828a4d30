"""What dispatch's routes need from the running app, as typed FastAPI dependencies.

`create_app` builds the parts once and leaves them on `app.state`; a route names the part it
needs (`RuntimeDep`, `ContextDep`...) instead of closing over it, so its router is a plain
module-level `APIRouter` that the app includes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.nearest import StationFinder
from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import current_actor
from shared.platform.runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    """The service's runtime (set by shared/platform/service_app.py)."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def context_of(request: Request) -> Context:
    """Dispatch's clock, district, calendar and reach (set by services/dispatch/app.py)."""
    context: Context = request.app.state.context
    return context


def finder_of(request: Request) -> StationFinder:
    """The station register as the riders read it, cached (set by services/dispatch/app.py)."""
    finder: StationFinder = request.app.state.stations
    return finder


def audit_of(request: Request) -> AuditLog:
    """Dispatch's audit log of personal data read (set by services/dispatch/app.py)."""
    audit: AuditLog = request.app.state.audit
    return audit


ActorDep = Annotated[Actor, Depends(current_actor)]
RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_of)]
ContextDep = Annotated[Context, Depends(context_of)]
FinderDep = Annotated[StationFinder, Depends(finder_of)]
AuditDep = Annotated[AuditLog, Depends(audit_of)]
