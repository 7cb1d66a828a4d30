"""The error answers of each operation in its OpenAPI document, read off the route itself.

A route's error statuses follow from what it really depends on, so they are derived from its
dependency tree rather than written by hand on 110 routes:

- a token dependency (the Bearer scheme) → 401 with `WWW-Authenticate`, and 403;
- a path parameter → 404 (the object it names may not exist, or not be the caller's);
- a body → 400 (an unreadable form), 413 (larger than the body limit), 415;
- any parameter or body → 422 (a field refused, NUL in text);
- a rate limit counting the operation's method → 429 and 503, both with `Retry-After`.

Every error answer has the one body the services send (`Problem`); a status a route documents
itself (`responses=`) keeps its description and gets the body when it names none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security.base import SecurityBase

PROBLEM = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM}"}
JSON_PROBLEM = {"application/json": {"schema": PROBLEM_REF}}

# The attribute a dependency carries when it counts requests (a service's rate limit, e.g.
# services/intake/entrypoints/ratelimit.py): the methods
# it counts.
RATE_LIMITED = "rate_limited_methods"

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "The scheme to authenticate with (Bearer).",
        "required": True,
        "schema": {"type": "string"},
    }
}
DESCRIPTIONS = {
    400: "The request cannot be read",
    401: "No valid access token",
    403: "The caller's role or relation to the object does not allow this",
    404: "Not found",
    405: "Method not allowed (the `Allow` header names those served)",
    409: "Conflicts with the object's current state",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "A field is invalid (each field and why)",
    429: "Too many requests",
    503: "Temporarily unavailable",
}


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _walk(sub)


def error_statuses(dependant: Dependant, method: str) -> dict[int, dict[str, Any]]:
    """The error answers a route (its `dependant`) can give to `method`, from its dependency
    tree."""
    found: dict[int, dict[str, Any]] = {}
    tree = list(_walk(dependant))
    if any(isinstance(d.call, SecurityBase) for d in tree):
        found[401] = {"headers": _WWW_AUTHENTICATE}
        found[403] = {}
    if any(d.path_params for d in tree):
        found[404] = {}
    body = any(d.body_params for d in tree)
    if body:
        found.update({400: {}, 413: {}, 415: {}})
    if body or any(d.path_params or d.query_params or d.header_params for d in tree):
        found[422] = {}
    if any(method in getattr(d.call, RATE_LIMITED, ()) for d in tree):
        found[429] = {"headers": _RETRY_AFTER}
        found[503] = {"headers": _RETRY_AFTER}
    return found


def problem_schema() -> dict[str, Any]:
    """The error body: `detail` (text, or an object naming the field and why) and, for a
    refused request, each field and why."""
    return {
        "title": PROBLEM,
        "type": "object",
        "required": ["detail"],
        "properties": {
            "detail": {
                "title": "Detail",
                "anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}],
            },
            "errors": {
                "title": "Errors",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {
                        "field": {"type": "string"},
                        "message": {"type": "string"},
                        "type": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    },
                },
            },
        },
    }


def _complete(answer: dict[str, Any], status: int, extra: dict[str, Any]) -> None:
    answer.setdefault("description", DESCRIPTIONS.get(status, "Error"))
    if not answer["description"]:
        answer["description"] = DESCRIPTIONS.get(status, "Error")
    if "content" not in answer:
        answer["content"] = JSON_PROBLEM
    for name, header in extra.get("headers", {}).items():
        answer.setdefault("headers", {}).setdefault(name, header)


def document_operation(operation: dict[str, Any], statuses: dict[int, dict[str, Any]]) -> None:
    """Add `statuses` to one operation and give each error answer the Problem body."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, extra in statuses.items():
        _complete(responses.setdefault(str(status), {}), status, extra)
    for code, answer in responses.items():
        if code[:1] in ("4", "5"):
            _complete(answer, int(code), statuses.get(int(code), {}))


def document_errors(app: FastAPI) -> None:
    """Wrap the app's OpenAPI generation: every operation lists its error answers."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})[PROBLEM] = problem_schema()
        paths = schema.get("paths", {})
        # Included routers are nested (FastAPI ≥ 0.160): their routes as the app serves them.
        for route in iter_route_contexts(app.routes):
            if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
                continue
            dependant: Dependant = route.dependant
            for method in route.methods or ():
                operation = paths.get(route.path_format, {}).get(method.lower())
                if operation is not None:
                    document_operation(operation, error_statuses(dependant, method))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
