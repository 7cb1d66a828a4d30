"""What intake's routes are handed: the runtime and the service's parts, built once by
`create_app` and kept on `app.state`, reached through typed dependencies (no route closes over
them, so every router is a plain module-level one). They are coroutines: FastAPI runs a plain
function in a worker thread, a hand-off dearer than the attribute read it serves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from services.intake.adapters.exchange_access import ExchangeAccess
from services.intake.adapters.mediation_access import MediationAccess
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.config import IntakeSettings
from services.intake.entrypoints.uploads import Uploads
from services.intake.service_layer.context import Context
from shared.platform.app_state import ActorDep as ActorDep
from shared.platform.app_state import AuditDep as AuditDep
from shared.platform.app_state import RuntimeDep as RuntimeDep
from shared.platform.audit.log import AuditLog
from shared.platform.auth.keys import TokenKeys


@dataclass(frozen=True)
class Intake:
    """Intake's parts the routes use, beside the runtime (`app.state.intake`).

    `jurisdictions` is the boundaries' GeoJSON, read once when the app is built: the
    boundaries change with a deployment, not a request."""

    settings: IntakeSettings
    context: Context
    uploads: Uploads
    audit: AuditLog
    cipher: PiiCipher | None
    keys: TokenKeys
    mediation: MediationAccess
    exchange: ExchangeAccess
    jurisdictions: dict[str, Any]

    @property
    def private_pem(self) -> bytes:
        """Intake signs tokens: it holds the private key."""
        assert self.keys.private_pem is not None, "intake signs tokens: it needs the private key"
        return self.keys.private_pem


async def intake_of(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


async def context_of(request: Request) -> Context:
    return (await intake_of(request)).context


async def uploads_of(request: Request) -> Uploads:
    return (await intake_of(request)).uploads


IntakeDep = Annotated[Intake, Depends(intake_of)]
ContextDep = Annotated[Context, Depends(context_of)]
UploadsDep = Annotated[Uploads, Depends(uploads_of)]
