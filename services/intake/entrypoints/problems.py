"""Domain errors as the officer API's JSON errors: the status, the field and why."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from services.intake.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyMismatch,
    InvalidField,
    NotFound,
    OutsideServiceArea,
    TooLarge,
    UnknownCategory,
    UnsupportedMedia,
)
from shared.platform.http import ErrorMapping


def field_error(status: int, field: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"detail": message, "errors": [{"field": field, "message": message}]}, status_code=status
    )


# IntakeError -> JSON error: 404 missing, 403 not yours, 409 wrong state or reused key,
# 400/413/415/422 bad input; each detail is (field, message).
as_response = ErrorMapping(
    [
        (NotFound, 404, lambda e: ("id", f"not found: {e}")),
        (Forbidden, 403, lambda e: ("actor", str(e))),
        (
            IdempotencyMismatch,
            409,
            lambda _: ("Idempotency-Key", "already used with a different request"),
        ),
        (Conflict, 409, lambda e: ("status", str(e))),
        (
            OutsideServiceArea,
            400,
            lambda _: ("latitude", "the location is outside the service area"),
        ),
        (UnknownCategory, 422, lambda e: ("category", f"unknown hazard category {str(e)!r}")),
        (InvalidField, 422, lambda e: (e.field, e.message)),
        (TooLarge, 413, lambda e: ("file", str(e))),
        (UnsupportedMedia, 415, lambda e: ("file", str(e))),
    ],
    otherwise=(400, lambda e: ("request", str(e))),
    answer=lambda status, detail: field_error(status, *detail),
)
