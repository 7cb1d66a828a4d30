"""Log in: a username and password (or a department system's API key) for an access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from pydantic import BaseModel

from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.service_layer import views
from shared.contracts.envelope import Actor
from shared.platform.auth.dependency import SERVICE_CLIENTS
from shared.platform.auth.tokens import issue


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def _refused() -> HTTPException:
    return HTTPException(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})


# The login rate limit is added where the app includes this router (app.py).
router = APIRouter(tags=["auth"])


@router.post(
    "/api/v1/auth/token",
    response_model=TokenAnswer,
    responses={401: {"description": "Wrong credentials"}, 429: {"description": "Slow down"}},
)
async def token(
    runtime: RuntimeDep,
    intake: IntakeDep,
    grant_type: Annotated[str, Form(pattern="^(password|client_credentials)$")] = "password",
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    client_secret: Annotated[str, Form(max_length=200)] = "",
) -> TokenAnswer:
    """OAuth2 password grant for people; client_credentials with an API key bound to a
    department for its system (or to a service: notify). The token lives `expires_in`
    seconds."""
    async with runtime.sessions() as session:
        if grant_type == "client_credentials":
            key = await views.api_key(session, client_secret)
            if key is None or not (key.department_id or key.service in SERVICE_CLIENTS):
                raise _refused()
            if key.service in SERVICE_CLIENTS:
                # Another service of the system (notify): its token opens only the routes
                # that serve it (shared/platform/auth/dependency.py, service_caller).
                actor = Actor(role="system", id=key.service)
            else:
                actor = Actor(role="department", id=str(key.department_id))
            user_id, name = f"apikey:{key.id}", key.name
        else:
            user = await views.user_by_password(session, username, password)
            if user is None:
                raise _refused()
            actor = Actor.model_validate({"role": user.role, "id": user.actor_id})
            user_id, name = str(user.id), user.name
    ttl_seconds = intake.settings.token_ttl_seconds
    jwt = issue(intake.private_pem, actor, user_id=user_id, name=name, ttl_seconds=ttl_seconds)
    return TokenAnswer(access_token=jwt, expires_in=ttl_seconds)
