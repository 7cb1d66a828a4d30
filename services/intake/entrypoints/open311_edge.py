"""Open311's edge answers: whatever answers a request under /open311/v2/ (the rate limit, the
NUL guard, the body limit, an unknown path, a method not served), the client gets the
standard's errors/error body in the format it asked for, and OPTIONS and 405 name every
method the path serves.

The routes raise their own errors in this shape already (Open311Problem); this middleware,
outermost, rewrites the JSON `{"detail": ...}` answers of the layers before the routes.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.intake.entrypoints.open311_format import errors

PREFIX = "/open311/v2/"
# The standard's error codes; a validation answer (422 elsewhere) is a 400 here.
_STATUS = {422: 400}
_PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")


def requested_format(path: str) -> str:
    """The format the path asks for; XML, the standard's default, when it names none."""
    return "json" if path.endswith(".json") else "xml"


def describe(body: Any) -> str:
    """One line from a `{"detail": ...}` body: 'field: why'."""
    if not isinstance(body, dict):
        return "invalid request"
    for item in body.get("errors") or []:
        if isinstance(item, dict) and item.get("message"):
            return f"{item.get('field') or 'request'}: {item['message']}"
    detail = body.get("detail")
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        loc = ".".join(str(p) for p in detail[0].get("loc", ())[1:]) or "request"
        return f"{loc}: {detail[0].get('msg', 'invalid')}"
    return str(detail or "invalid request")


def allowed_methods(scope: Scope) -> list[str]:
    """Every method some route serves at this path (HEAD with GET, OPTIONS always)."""
    routes = getattr(getattr(scope.get("app"), "router", None), "routes", [])
    methods = {
        method
        for method in _PROBED
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    }
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"})


class Open311Edge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        fmt = requested_format(scope["path"])
        if scope["method"] == "OPTIONS":
            allow = allowed_methods(scope)
            if allow:
                await _send_plain(send, 204, {"allow": ", ".join(allow)})
                return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                media = headers.get(b"content-type", b"").split(b";")[0].strip()
                if message["status"] >= 400 and media == b"application/json":
                    start = message  # hold it: the body decides whether to rewrite
                    return
                await send(message)
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _answer(start, b"".join(chunks), scope, fmt, send)

        await self.app(scope, receive, rewrite)


async def _answer(start: Message, raw: bytes, scope: Scope, fmt: str, send: Send) -> None:
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {}
    if isinstance(body, list):  # already the standard's errors list (JSON)
        await send(start)
        await send({"type": "http.response.body", "body": raw})
        return
    status: int = start["status"]
    status = _STATUS.get(status, status)
    response = errors(fmt, status, describe(body))
    kept = [
        (k, v)
        for k, v in start.get("headers") or []
        if k.lower() not in (b"content-type", b"content-length", b"allow")
    ]
    if status == 405:
        kept.append((b"allow", ", ".join(allowed_methods(scope)).encode()))
    headers = [*kept, *response.raw_headers]
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _send_plain(send: Send, status: int, headers: dict[str, str]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": b""})
