"""The admin's accounts API: users who log in and the API keys of apps and department systems
(what `waystation user …` and `waystation apikey …` do on the host, for the console)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.intake.domain.errors import InvalidField
from services.intake.entrypoints.dependencies import RuntimeDep
from services.intake.entrypoints.problems import as_response
from services.intake.service_layer import apikeys, users, views
from services.intake.service_layer.users import MIN_PASSWORD
from shared.contracts.envelope import Actor
from shared.platform.auth.dependency import AUTHENTICATED, SERVICE_CLIENTS, current_actor
from shared.platform.auth.roles import ROLES

Name = Annotated[str, Path(min_length=1, max_length=100)]


def _admin(actor: Annotated[Actor, Depends(current_actor)]) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin manages accounts and keys")


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(
        min_length=1, max_length=200, json_schema_extra={"minLength": MIN_PASSWORD}
    )
    role: str = Field(min_length=1, max_length=20, json_schema_extra={"enum": sorted(ROLES)})
    actor_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    name: str = Field(default="", max_length=100)


class UserOut(BaseModel):
    username: str
    role: str
    actor_id: str
    name: str
    created_at: datetime
    disabled_at: datetime | None


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    department_id: str | None = Field(default=None, max_length=64)
    service: str | None = Field(
        default=None,
        max_length=40,
        json_schema_extra={"anyOf": [{"enum": [*sorted(SERVICE_CLIENTS)]}, {"type": "null"}]},
    )


class KeyOut(BaseModel):
    name: str
    department_id: str | None
    service: str | None
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The key itself, shown this once (only its hash is kept)")


class Changed(BaseModel):
    changed: int


router = APIRouter(prefix="/api/v1", tags=["admin"], dependencies=[*AUTHENTICATED, Depends(_admin)])


@router.get("/users", response_model=list[UserOut])
async def list_users(runtime: RuntimeDep) -> list[UserOut]:
    """Every user (never a password)."""
    async with runtime.sessions() as session:
        rows = await views.user_list(session)
    return [UserOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/users", status_code=201, response_model=UserOut, responses={422: {}})
async def create_user(body: UserIn, runtime: RuntimeDep) -> UserOut | JSONResponse:
    """A new user who logs in as `role` under `actor_id` (a department's id, a mediator's)."""
    try:
        async with runtime.sessions() as session:
            row = await users.create_user(
                session, body.username, body.password, body.role, body.actor_id, body.name
            )
            return UserOut.model_validate(views.as_user(row), from_attributes=True)
    except InvalidField as exc:
        return as_response(exc)


@router.post("/users/{username}/disable", response_model=Changed)
async def disable_user(username: Name, runtime: RuntimeDep) -> Changed:
    """No new tokens for this user (tokens issued expire within their lifetime)."""
    async with runtime.sessions() as session:
        return Changed(changed=await users.disable_user(session, username))


@router.get("/apikeys", response_model=list[KeyOut])
async def list_keys(runtime: RuntimeDep) -> list[KeyOut]:
    """Every API key: names and what they are bound to, never the keys."""
    async with runtime.sessions() as session:
        rows = await views.key_list(session)
    return [KeyOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/apikeys", status_code=201, response_model=KeyCreated, responses={422: {}})
async def create_key(body: KeyIn, runtime: RuntimeDep) -> KeyCreated | JSONResponse:
    """A new key for an app, a department's system or a service; shown once."""
    if body.service is not None and body.service not in SERVICE_CLIENTS:
        services = ", ".join(sorted(SERVICE_CLIENTS))
        return as_response(InvalidField("service", f"one of {services}"))
    async with runtime.sessions() as session:
        row, plain = await apikeys.create_key(
            session, body.name, body.department_id or None, body.service
        )
        out = KeyOut.model_validate(views.as_key(row), from_attributes=True)
    return KeyCreated(**out.model_dump(), key=plain)


@router.post("/apikeys/{name}/revoke", response_model=Changed)
async def revoke_key(name: Name, runtime: RuntimeDep) -> Changed:
    """Revoke every live key with this name."""
    async with runtime.sessions() as session:
        return Changed(changed=await apikeys.revoke_key(session, name))
