"""The four services' public HTTP APIs, called on the user's behalf (the user's token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from services.console.entrypoints.session import Caller
from shared.contracts.glossary import explain


class ServiceError(Exception):
    """A service answered with an error the page shows (status, field errors)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body

    def field_errors(self, lang: str = "zh") -> dict[str, str]:
        """{field: message} in the user's language; `_` for the form as a whole."""
        return explain(self.status, self.body, lang)


def form_key(form: Any) -> str | None:
    """The key a form was rendered with (hidden `form_key`), sent on as Idempotency-Key."""
    key = form.get("form_key") if form is not None else None
    return key if isinstance(key, str) and 1 <= len(key) <= 200 else None


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
        headers = who.headers() | (kw.pop("headers", None) or {})
        response = await self.client.request(method, url, headers=headers, **kw)
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

    async def post(
        self,
        who: Caller,
        service: str,
        path: str,
        body: Any = None,
        *,
        idempotency_key: str | None = None,
    ) -> Any:
        """POST as the user; a form's render key makes a double submit one filing."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return (await self.call(who, service, "POST", path, json=body, headers=headers)).json()

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
