"""HTTP pieces every service shares: health and readiness, clear validation errors, and the
one way a domain error becomes an HTTP answer (`ErrorMapping`)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.error_docs import document_errors

log = structlog.get_logger(__name__)

Answer = TypeVar("Answer")
# An error class (or a tuple of them), the status it answers with, and its detail.
ErrorRule = tuple[type[Exception] | tuple[type[Exception], ...], int, Callable[[Any], Any]]


class ErrorMapping(Generic[Answer]):
    """Domain errors as HTTP answers, each service's written as a table in one shape.

    The first rule whose class the error is an instance of gives the status and the detail;
    an error no rule names answers `otherwise`. `answer(status, detail)` renders the result
    (an `HTTPException` a route raises, a JSON response, an Open311 error...).
    """

    def __init__(
        self,
        rules: Sequence[ErrorRule],
        *,
        otherwise: tuple[int, Callable[[Any], Any]],
        answer: Callable[[int, Any], Answer],
    ) -> None:
        self.rules = tuple(rules)
        self.otherwise = otherwise
        self.answer = answer

    def status_and_detail(self, exc: Exception) -> tuple[int, Any]:
        for kinds, status, detail in self.rules:
            if isinstance(exc, kinds):
                return status, detail(exc)
        status, detail = self.otherwise
        return status, detail(exc)

    def __call__(self, exc: Exception) -> Answer:
        return self.answer(*self.status_and_detail(exc))


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None


class ValidationProblem(BaseModel):
    """The body of a 422: a summary, then each field and why.

    Request validation sends `detail` as text with `errors`; a domain rule refused by a route
    (HTTPException) sends `detail` as an object naming the field.
    """

    detail: str | dict[str, Any]
    errors: list[FieldError] = []


def health_router(ready: Callable[[], Awaitable[dict[str, bool]]]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness", responses={503: {"description": "Not ready"}})
    async def readyz() -> JSONResponse:
        """The database and Redis answer."""
        checks = await ready()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": checks},
            status_code=200 if ok else 503,
        )

    return router


REDIS_AWAY_RETRY_AFTER = 5


def install_error_handlers(app: FastAPI) -> None:
    """422 bodies name each field and why, in one predictable shape; NUL in text is a 422; a
    route that needed Redis while it is away answers 503 with Retry-After, never a bare 500."""

    @app.exception_handler(RedisConnectionError)
    @app.exception_handler(RedisTimeoutError)
    async def redis_away(_request: Request, exc: Exception) -> JSONResponse:
        log.warning("request_failed_redis_unreachable", error=type(exc).__name__)
        return JSONResponse(
            {"detail": "temporarily unavailable; retry later"},
            status_code=503,
            headers={"Retry-After": str(REDIS_AWAY_RETRY_AFTER)},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", "invalid"),
                "type": err.get("type", "value_error"),
            }
            for err in exc.errors()
        ]
        return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 405:
            allow = ", ".join(allowed_methods(request.scope))
            exc = StarletteHTTPException(405, exc.detail, headers={"Allow": allow})
        return await http_exception_handler(request, exc)

    _document_validation_problem(app)
    document_errors(app)
    app.add_middleware(RejectNul)


def allowed_methods(scope: Scope) -> list[str]:
    """Every method the resource at this path serves (HEAD with GET), for a 405's `Allow`:
    Starlette names only the first route's. The resource is the most specific route template
    that matches (`/stations/coverage`, not `/stations/{station_id}`)."""
    app = scope.get("app")
    root, path = scope.get("root_path", ""), scope["path"]
    path = path[len(root) :] if root and path.startswith(root) else path
    served: dict[str, int] = {}  # method → the fewest path parameters of a route serving it
    for route in iter_route_contexts(getattr(app, "routes", [])):
        if isinstance(route.original_route, Mount) or not route.path_regex.match(path):
            continue
        params = (route.path_format or "").count("{")
        for method in route.methods or ():
            served[method] = min(params, served.get(method, params))
    if not served:
        return []
    fewest = min(served.values())
    methods = {method for method, params in served.items() if params == fewest}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _document_validation_problem(app: FastAPI) -> None:
    """The OpenAPI document describes the 422 body the handler above sends, not FastAPI's own."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in components:
            ours = ValidationProblem.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(ours.pop("$defs", {}))
            components["HTTPValidationError"] = ours
            components.pop("ValidationError", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


class BodyLimit:
    """ASGI middleware: 413 for a body larger than `max_bytes` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {"detail": f"request body larger than {self.max_bytes} bytes"}
        await JSONResponse(body, status_code=413)(scope, receive, send)


class _TooLarge(Exception):
    pass


_NUL_MESSAGE = "text may not contain the NUL character (\\u0000)"


def _nul_fields(value: object, path: str = "") -> Iterator[str]:
    """The dotted paths of the strings (keys included) in a JSON value that hold a NUL."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                yield where
            yield from _nul_fields(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{path}.{index}" if path else str(index))


def _nul_in_form(text: str) -> str | None:
    for name, value in parse_qsl(text, keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "query"
    return None


class RejectNul:
    """ASGI middleware: 422 naming the field for a path, query parameter, JSON or form value
    holding a NUL character. No field accepts one, and PostgreSQL cannot store it in text (it
    would be a 500 there and silently stored on SQLite)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = "path" if "\x00" in scope["path"] else None
        field = field or _nul_in_form(scope.get("query_string", b"").decode("latin-1"))
        headers = dict(scope.get("headers") or [])
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        replay: list[Message] = []
        if field is None and (
            media.endswith(b"json") or media == b"application/x-www-form-urlencoded"
        ):
            body, more = b"", True
            while more:
                message = await receive()
                replay.append(message)
                body += message.get("body", b"")
                more = message["type"] == "http.request" and message.get("more_body", False)
            field = self._in_body(body, media)
        if field is not None:
            problem = {
                "detail": "invalid request",
                "errors": [{"field": field, "message": _NUL_MESSAGE, "type": "value_error"}],
            }
            await JSONResponse(problem, status_code=422)(scope, receive, send)
            return

        async def replayed() -> Message:
            return replay.pop(0) if replay else await receive()

        await self.app(scope, replayed, send)

    @staticmethod
    def _in_body(body: bytes, media: bytes) -> str | None:
        if media.endswith(b"json"):
            if b"\\u0000" not in body:
                return None
            try:
                document = json.loads(body)
            except ValueError:
                return None  # the route's own validation answers malformed JSON
            return next(_nul_fields(document), None)
        return _nul_in_form(body.decode("latin-1"))
