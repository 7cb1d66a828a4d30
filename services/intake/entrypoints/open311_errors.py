"""Open311's errors: raised as Open311Problem, answered in the standard's errors format, in the
format the client asked for; intake's domain errors in the standard's codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.intake.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyMismatch,
    IntakeError,
    InvalidField,
    NotFound,
    OutsideServiceArea,
    TooLarge,
    UnsupportedMedia,
)
from services.intake.entrypoints.open311_docs import document_open311
from services.intake.entrypoints.open311_edge import Open311Edge
from services.intake.entrypoints.open311_format import errors
from shared.platform.http import ErrorMapping


class Open311Problem(Exception):
    """Answered in the spec's error format, in the format the client asked for."""

    def __init__(self, status: int, description: str, fmt: str = "xml") -> None:
        super().__init__(description)
        self.status, self.description, self.fmt = status, description, fmt


def install(app: FastAPI) -> None:
    async def handle(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Open311Problem)
        return errors(exc.fmt, exc.status, exc.description)

    app.add_exception_handler(Open311Problem, handle)
    # Outermost of the middleware added so far: it sees the rate limit's, the NUL guard's and
    # the body limit's answers too.
    app.add_middleware(Open311Edge)
    document_open311(app)


# Domain errors in the spec's codes: 404 missing, 403 not yours, 409 an id reused with another
# body, 400 everything else; the detail is the error's description.
_SPEC_CODES = ErrorMapping(
    [
        (NotFound, 404, lambda e: f"not found: {e}"),
        (Forbidden, 403, str),
        (TooLarge, 413, lambda e: f"media: {e}"),
        (UnsupportedMedia, 415, lambda e: f"media: {e}"),
        (
            IdempotencyMismatch,
            409,
            lambda _: "Idempotency-Key: already used with a different request",
        ),
        (OutsideServiceArea, 400, lambda _: "lat/long: the location is outside the service area"),
        (InvalidField, 400, str),
        (Conflict, 409, str),
    ],
    otherwise=(400, str),
    answer=lambda status, description: (status, description),
)


def problem(exc: IntakeError, fmt: str) -> Open311Problem:
    status, description = _SPEC_CODES(exc)
    return Open311Problem(status, description, fmt)


def invalid(exc: ValidationError, fmt: str) -> Open311Problem:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "request"
    return Open311Problem(400, f"{field}: {first.get('msg', 'invalid')}", fmt)
