"""The four services' public HTTP APIs, called on the user's behalf (the user's token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from services.intake.entrypoints.console.session import Caller


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
