"""The four services' public HTTP APIs, called on the user's behalf (the user's token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from services.console.entrypoints.session import Caller


class ServiceError(Exception):
    """A service answered with an error the page shows (status, field errors)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body

    def field_errors(self) -> dict[str, str]:
        """{field: message} from the services' 422/400 shape; `_` for a general error."""
        body = self.body if isinstance(self.body, dict) else {}
        found = {
            str(e.get("field", "_")): str(e.get("message", "invalid"))
            for e in body.get("errors", [])
            if isinstance(e, dict)
        }
        detail = body.get("detail")
        if not found:
            found["_"] = detail if isinstance(detail, str) else str(self.body)[:300]
        return found


@dataclass(frozen=True)
class Login:
    """What intake's token endpoint answered: a token, or why not."""

    token: str | None
    expires_in: int = 0
    refused: str = ""  # "bad_login" or "slow_down"


@dataclass
class Backends:
    urls: dict[str, str]
    client: httpx.AsyncClient

    async def call(
        self, who: Caller, service: str, method: str, path: str, **kw: Any
    ) -> httpx.Response:
        url = self.urls[service].rstrip("/") + path
        response = await self.client.request(method, url, headers=who.headers(), **kw)
        if response.status_code >= 400:
            try:
                body: Any = response.json()
            except ValueError:
                body = response.text[:500]
            raise ServiceError(response.status_code, body)
        return response

    async def get(self, who: Caller, service: str, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return (await self.call(who, service, "GET", path, params=clean)).json()

    async def post(self, who: Caller, service: str, path: str, body: Any = None) -> Any:
        return (await self.call(who, service, "POST", path, json=body)).json()

    async def login(self, username: str, password: str) -> Login:
        """Intake's OAuth2 password grant: the console never sees a password hash."""
        url = self.urls["intake"].rstrip("/") + "/api/v1/auth/token"
        form = {"grant_type": "password", "username": username, "password": password}
        answer = await self.client.post(url, data=form)
        if answer.status_code == 200:
            body = answer.json()
            return Login(body["access_token"], int(body["expires_in"]))
        if answer.status_code == 429:
            return Login(None, refused="slow_down")
        if answer.status_code in (401, 422):
            return Login(None, refused="bad_login")
        raise ServiceError(answer.status_code, answer.text[:300])

    async def readiness(self) -> dict[str, bool]:
        """Ready when intake (the login and the case registry) answers its liveness probe."""
        try:
            answer = await self.client.get(self.urls["intake"].rstrip("/") + "/healthz")
        except httpx.HTTPError:
            return {"intake": False}
        return {"intake": answer.status_code == 200}
