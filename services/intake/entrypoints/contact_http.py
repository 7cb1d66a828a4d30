"""How to reach a rider, for notify at the moment it sends (never stored in its events).

Events carry masked phones only; an SMS to a rider without e-mail is addressed when it
leaves: notify asks here, with its own service token, for the party's phone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel

from services.intake.entrypoints.dependencies import AuditDep, RuntimeDep
from services.intake.service_layer import views
from shared.contracts.envelope import Actor
from shared.platform.auth.dependency import service_caller


class PartyContact(BaseModel):
    party_id: str
    phone: str | None
    email: str | None


router = APIRouter(prefix="/api/v1", tags=["services"])


@router.get(
    "/parties/{party_id}/contact",
    response_model=PartyContact,
    responses={
        403: {"description": "Not a service of the system"},
        404: {"description": "No such runner, or their data was purged"},
    },
)
async def contact(
    party_id: Annotated[str, Path(max_length=64)],
    caller: Annotated[Actor, Depends(service_caller("notify"))],
    runtime: RuntimeDep,
    audit: AuditDep,
) -> PartyContact:
    """The runner's phone and e-mail on their newest report (notify only)."""
    async with runtime.sessions() as session:
        party = await views.runner_contact(session, party_id)
    if party is None:
        raise HTTPException(404, "no runner with this party id")
    shown = PartyContact(party_id=party_id, phone=party.phone, email=party.email)
    fields = [f"parties.{f}" for f in ("phone", "email") if getattr(shown, f)]
    await audit.read(
        actor=caller,
        case_id=party.case_id,
        fields=fields,
        route="/api/v1/parties/{party_id}/contact",
    )
    return shown
