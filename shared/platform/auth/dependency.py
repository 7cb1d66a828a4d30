"""Who is calling: a verified access token (Bearer header or the console's cookie) → an Actor.

Every non-public route depends on `current_actor` (or `require_roles`); an app serves them
after `install_auth(app, keys)`. No token or a bad one → 401; a role the route does not serve
→ 403. Object-level checks stay in the service layer, against the Actor returned here.

The dependencies are coroutines on purpose: FastAPI runs a plain function in a worker thread,
a hand-off that costs more than the check itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import TokenKeys
from shared.platform.auth.tokens import InvalidToken, Principal

COOKIE = "ws_session"
_bearer = HTTPBearer(
    auto_error=False,
    description="An access token from intake's POST /api/v1/auth/token (or the ws_session cookie).",
)


def install_auth(app: FastAPI, keys: TokenKeys) -> None:
    """Give the app the key its routes verify tokens with."""
    app.state.token_keys = keys


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(401, reason, headers={"WWW-Authenticate": "Bearer"})


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller; 401 without a valid token."""
    token = credentials.credentials if credentials else request.cookies.get(COOKIE)
    if not token:
        raise _unauthorized("authentication required")
    keys: TokenKeys = request.app.state.token_keys
    try:
        principal = keys.verify(token)
    except InvalidToken as exc:
        raise _unauthorized("invalid or expired token") from exc
    if principal.actor.role == "system":  # the system acts through events, never over HTTP
        raise _unauthorized("invalid token")
    request.state.principal = principal
    return principal


def caller_token(request: Request) -> str | None:
    """The caller's own token as it came (to call another service on the caller's behalf)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE)


async def current_actor(principal: Annotated[Principal, Depends(current_principal)]) -> Actor:
    """The Actor a route acts for."""
    return principal.actor


def require_roles(*roles: str) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency admitting only these roles (403 for the others)."""
    allowed = frozenset(roles)

    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in allowed:
            raise HTTPException(403, f"a {actor.role} may not do this")
        return actor

    return check


# Services that call another service over HTTP as themselves (a `system` token minted for an
# API key bound to the service): notify, to resolve a rider's phone at the moment it sends.
SERVICE_CLIENTS = frozenset({"notify"})


def service_caller(
    *services: str,
) -> Callable[[Request, HTTPAuthorizationCredentials | None], Awaitable[Actor]]:
    """A dependency admitting only these services' tokens: 401 without a valid token, 403 for
    any person's token (no role of a person may call it)."""
    allowed = frozenset(services) & SERVICE_CLIENTS

    async def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        if credentials is None:
            raise _unauthorized("authentication required")
        keys: TokenKeys = request.app.state.token_keys
        try:
            principal = keys.verify(credentials.credentials)
        except InvalidToken as exc:
            raise _unauthorized("invalid or expired token") from exc
        actor = principal.actor
        if actor.role != "system" or actor.id not in allowed:
            raise HTTPException(403, "only a service of the system may call this")
        request.state.principal = principal
        return actor

    return check


ActorDep = Annotated[Actor, Depends(current_actor)]
# For a whole router: every route in it needs a valid token, whatever its handler takes.
AUTHENTICATED = [Depends(current_actor)]
