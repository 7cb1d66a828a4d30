"""What notify's routes take from the app they run in, as typed FastAPI dependencies.

`create_app` builds the runtime, the audit log and the default quiet hours once and leaves
them on `app.state`; a route names what it needs in its signature. The routers are then plain
module-level objects: nothing is captured in a closure, and a test may override any part.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notify.domain.quiet_hours import QuietHours
from shared.platform.app_state import ActorDep as ActorDep
from shared.platform.app_state import AuditDep as AuditDep
from shared.platform.app_state import RuntimeDep as RuntimeDep


async def quiet_hours_of(request: Request) -> QuietHours:
    """The service's default quiet hours (app.py sets them)."""
    quiet: QuietHours = request.app.state.quiet_hours
    return quiet


QuietHoursDep = Annotated[QuietHours, Depends(quiet_hours_of)]
