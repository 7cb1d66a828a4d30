"""What notify's routes take from the app they run in, as typed FastAPI dependencies.

`create_app` builds the runtime, the audit log and the default quiet hours once and leaves
them on `app.state`; a route names what it needs in its signature. The routers are then plain
module-level objects: nothing is captured in a closure, and a test may override any part.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notify.domain.quiet_hours import QuietHours
from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import current_actor
from shared.platform.runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    """The service's runtime (shared/platform/service_app.py sets it)."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def audit_of(request: Request) -> AuditLog:
    """The service's audit log (app.py sets it)."""
    audit: AuditLog = request.app.state.audit
    return audit


def quiet_hours_of(request: Request) -> QuietHours:
    """The service's default quiet hours (app.py sets them)."""
    quiet: QuietHours = request.app.state.quiet_hours
    return quiet


RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_of)]
AuditDep = Annotated[AuditLog, Depends(audit_of)]
QuietHoursDep = Annotated[QuietHours, Depends(quiet_hours_of)]
ActorDep = Annotated[Actor, Depends(current_actor)]
