"""What the Open311 routes (open311_*_http) take and answer, for the OpenAPI document.

The routes read their forms and query strings by hand (the standard's `attribute[code]` fields
and its lenient parameters), so FastAPI sees no body and no parameter; this module writes them
in: the `.xml`/`.json` format of the path, the query parameters, the form-urlencoded and
multipart bodies, and every answer in both encodings. Errors are the standard's `errors` list
(JSON) or `<errors>` (XML), never the services' Problem body: a refused field is a 400 here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from services.intake.domain.commands import DepartmentUpdateIn, Open311Request
from services.intake.domain.media import IMAGES

PREFIX = "/open311/v2/"
_TEXT: dict[str, Any] = {"type": "string", "maxLength": 4000}
FORMAT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "description": "The encoding of the answer: xml (the standard's default) or json.",
    "schema": {"type": "string", "enum": ["xml", "json"]},
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": "This endpoint's jurisdiction (another is a 404).",
    "schema": {"type": "string", "maxLength": 200},
}
_WINDOW = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"{what} (W3C datetime with a zone; empty counts as absent);"
        " at most 90 days apart",
        "schema": {"type": "string", "anyOf": [{"format": "date-time"}, {"pattern": r"^\s*$"}]},
    }
    for name, what in (("start_date", "From"), ("end_date", "Until"))
]
QUERIES: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("get", "/open311/v2/requests.{fmt}"): [
        {
            "name": "service_request_id",
            "in": "query",
            "required": False,
            "description": "Comma-separated ids; overrides the other filters.",
            "schema": {"type": "string"},
        },
        {
            "name": "service_code",
            "in": "query",
            "required": False,
            "description": "Comma-separated service codes.",
            "schema": {"type": "string"},
        },
        {
            "name": "status",
            "in": "query",
            "required": False,
            "description": "open, closed or both (comma-separated).",
            "schema": {"type": "string", "enum": ["open", "closed", "open,closed"]},
        },
        *_WINDOW,
        *(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": "Paging extension.",
                "schema": {"type": "integer", "minimum": 1, "maximum": high},
            }
            for name, high in (("page", 100_000), ("page_size", 1000))
        ),
    ],
    ("get", "/open311/v2/servicerequestupdates.{fmt}"): _WINDOW,
}

_ERROR_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
_XML = {"schema": {"type": "string"}}
ERROR = {"application/json": {"schema": _ERROR_LIST}, "text/xml": _XML}
_RETRY_AFTER = {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}}
_ERRORS = {
    400: "A field is invalid (the description names it)",
    403: "api_key missing, invalid or not allowed this",
    404: "Unknown format, jurisdiction, service or request",
    409: "Idempotency-Key or update_id reused with another body",
    413: "Too large",
    415: "media: not an allowed image",
    429: "Too many requests",
    503: "Temporarily unavailable",
}

_KEY = {"api_key": {"type": "string", "maxLength": 200, "description": "The client's API key"}}


def _fields(model: type[BaseModel]) -> tuple[dict[str, Any], list[str]]:
    """The form fields a route validates with `model`, and the api_key every POST needs."""
    schema = model.model_json_schema()
    return {**_KEY, **schema["properties"]}, ["api_key", *schema.get("required", [])]


def _form(properties: dict[str, Any], required: list[str], media: bool) -> dict[str, Any]:
    """The body, form-urlencoded or multipart (with a `media` photo when `media`); the
    standard's `attribute[code]` fields are the extra properties."""
    form = {"type": "object", "required": required, "properties": properties}
    content: dict[str, Any] = {"application/x-www-form-urlencoded": {"schema": form}}
    multipart = dict(properties)
    if media:
        multipart["media"] = {"type": "string", "format": "binary"}
    content["multipart/form-data"] = {"schema": {**form, "properties": multipart}}
    return {"required": True, "content": content}


BODIES = {
    "/open311/v2/requests.{fmt}": _form(*_fields(Open311Request), media=True),
    "/open311/v2/servicerequestupdates.{fmt}": _form(*_fields(DepartmentUpdateIn), media=False),
}


def _answers(success: str, post: bool) -> dict[str, Any]:
    answers: dict[str, Any] = {
        success: {
            "description": "The standard's answer, in the path's format",
            "content": {"application/json": {"schema": {}}, "text/xml": _XML},
        }
    }
    for status, description in _ERRORS.items():
        if status in (409, 413, 415) and not post:
            continue
        answer: dict[str, Any] = {"description": description, "content": ERROR}
        if status in (429, 503):
            answer["headers"] = _RETRY_AFTER
        answers[str(status)] = answer
    return answers


def document_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    """One Open311 operation, as the route reads and answers it."""
    if path.endswith("{attachment_id}"):  # the photo itself
        operation["responses"] = {
            "200": {
                "description": "The photo",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in sorted(IMAGES)
                },
            },
            "404": {"description": "No such photo", "content": ERROR},
        }
        return
    params = [p for p in operation.get("parameters", []) if p["name"] != "fmt"]
    if method == "post":  # the jurisdiction comes in the form
        operation["requestBody"] = BODIES[path]
    elif not path.endswith("/discovery.{fmt}"):  # discovery names no jurisdiction
        params = [*params, JURISDICTION, *QUERIES.get((method, path), [])]
    params = [FORMAT, *params]
    operation["parameters"] = params
    post = method == "post"
    operation["responses"] = _answers(
        "201" if path.endswith("/requests.{fmt}") and post else "200", post
    )


def document_open311(app: FastAPI) -> None:
    """Wrap the app's OpenAPI generation: the Open311 operations as their routes serve them."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema.get("paths", {}).items():
            if path.startswith(PREFIX):
                for method, operation in operations.items():
                    document_operation(path, method, operation)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
