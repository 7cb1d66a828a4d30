"""Officers find a complainant or reporter by resident ID number (through its keyed hash)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field, field_validator

from services.intake.domain.identity import normalise_id_number
from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.entrypoints.personal_fields import PARTY_SEARCH
from services.intake.service_layer import views
from shared.contracts.envelope import Actor
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import current_actor

OFFICERS = frozenset({"intake_officer", "admin"})


class IdNumberQuery(BaseModel):
    """In the body, not the URL, so the number never lands in access logs."""

    id_number: str = Field(min_length=18, max_length=18, description="居民身份证号")

    @field_validator("id_number")
    @classmethod
    def _valid(cls, value: str) -> str:
        return normalise_id_number(value)


class PartyMatch(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    kind: str
    status: str
    role: str
    party_id: str


router = APIRouter(prefix="/api/v1", tags=["officer"], dependencies=AuditCaller)


@router.post(
    "/parties/search",
    response_model=list[PartyMatch],
    summary="按身份证号查找当事人 Find parties by ID number",
    responses={403: {"description": "Not an officer"}},
)
async def search(
    query: IdNumberQuery,
    actor: Annotated[Actor, Depends(current_actor)],
    runtime: RuntimeDep,
    intake: IntakeDep,
) -> list[PartyMatch]:
    """Cases where this person is a party; the number is compared by keyed hash only."""
    if actor.role not in OFFICERS:
        raise HTTPException(403, "only intake officers search by ID number")
    assert intake.cipher is not None, "the ID number's hash needs intake's PII keys"
    digest = intake.cipher.lookup_hash(query.id_number)
    async with runtime.sessions() as session:
        rows = await views.parties_by_id_hash(session, digest)
    found = [case.id for _party, case in rows]
    await intake.audit.read("search", actor=actor, fields=PARTY_SEARCH, case_ids=found)
    return [
        PartyMatch(
            case_id=case.id,
            tracking_code=case.tracking_code,
            kind=case.kind,
            status=case.status,
            role=party.role,
            party_id=party.party_id,
        )
        for party, case in rows
    ]
