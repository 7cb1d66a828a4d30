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
from shared.platform.app_state import ActorDep as ActorDep
from shared.platform.app_state import AuditDep as AuditDep
from shared.platform.app_state import RuntimeDep as RuntimeDep


async def context_of(request: Request) -> Context:
    """Dispatch's clock, district, calendar and reach (set by services/dispatch/app.py)."""
    context: Context = request.app.state.context
    return context


async def finder_of(request: Request) -> StationFinder:
    """The station register as the riders read it, cached (set by services/dispatch/app.py)."""
    finder: StationFinder = request.app.state.stations
    return finder


ContextDep = Annotated[Context, Depends(context_of)]
FinderDep = Annotated[StationFinder, Depends(finder_of)]
