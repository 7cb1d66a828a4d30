"""What every service's routes take from the app they run in, as typed FastAPI dependencies.

`service_app` (shared/platform/service_app.py) leaves the runtime and the audit log on
`app.state`; a route names what it needs in its signature (`runtime: RuntimeDep`), and a
service's own `entrypoints/dependencies.py` adds its context beside these. Routers stay plain
module-level objects: nothing is captured in a closure, and a test may override any part.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog
from shared.platform.auth.dependency import current_actor
from shared.platform.runtime import ServiceRuntime


async def runtime_of(request: Request) -> ServiceRuntime:
    """The service's runtime: its database, Redis, consumer and outbox relay."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def audit_of(request: Request) -> AuditLog:
    """The service's append-only log of who read or changed personal data."""
    audit: AuditLog = request.app.state.audit
    return audit


RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_of)]
AuditDep = Annotated[AuditLog, Depends(audit_of)]
ActorDep = Annotated[Actor, Depends(current_actor)]
