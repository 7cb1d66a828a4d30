"""How to reach a rider, for notify at the moment it sends (never stored in its events).

Events carry masked phones only; an SMS to a rider without e-mail is addressed when it
leaves: notify asks here, with its own service token, for the party's phone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel
from sqlmodel import col, select

from services.intake.adapters.tables import Case, Party
from services.intake.domain.riders import RUNNER_ROLES
from shared.audit.log import AuditLog
from shared.auth.dependency import service_caller
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime


class PartyContact(BaseModel):
    party_id: str
    phone: str | None
    email: str | None


def build_router(runtime: ServiceRuntime, audit: AuditLog) -> APIRouter:
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
    ) -> PartyContact:
        """The runner's phone and e-mail on their newest report (notify only)."""
        stmt = (
            select(Party, Case.id)
            .join(Case, col(Case.id) == col(Party.case_id))
            .where(
                Party.party_id == party_id,
                col(Party.role).in_(RUNNER_ROLES),
                col(Party.purged_at).is_(None),
            )
            .order_by(col(Case.created_at).desc())
            .limit(1)
        )
        async with runtime.sessions() as session:
            found = (await session.exec(stmt)).first()
        if found is None:
            raise HTTPException(404, "no runner with this party id")
        party, case_id = found
        shown = PartyContact(party_id=party_id, phone=party.phone, email=party.email)
        fields = [f"parties.{f}" for f in ("phone", "email") if getattr(shown, f)]
        await audit.read(
            actor=caller, case_id=case_id, fields=fields, route="/api/v1/parties/{party_id}/contact"
        )
        return shown

    return router
