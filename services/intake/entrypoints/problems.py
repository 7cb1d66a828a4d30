"""Domain errors as the officer API's JSON errors: the status, the field and why."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from services.intake.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyMismatch,
    IntakeError,
    InvalidField,
    NotFound,
    OutsideServiceArea,
    TooLarge,
    UnknownCategory,
    UnsupportedMedia,
)


def field_error(status: int, field: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"detail": message, "errors": [{"field": field, "message": message}]}, status_code=status
    )


def as_response(exc: IntakeError) -> JSONResponse:
    """404 missing, 403 not yours, 409 wrong state or reused key, 400/413/415/422 bad input."""
    if isinstance(exc, NotFound):
        return field_error(404, "id", f"not found: {exc}")
    if isinstance(exc, Forbidden):
        return field_error(403, "actor", str(exc))
    if isinstance(exc, IdempotencyMismatch):
        return field_error(409, "Idempotency-Key", "already used with a different request")
    if isinstance(exc, Conflict):
        return field_error(409, "status", str(exc))
    if isinstance(exc, OutsideServiceArea):
        return field_error(400, "latitude", "the location is outside the service area")
    if isinstance(exc, UnknownCategory):
        return field_error(422, "category", f"unknown hazard category {str(exc)!r}")
    if isinstance(exc, InvalidField):
        return field_error(422, exc.field, exc.message)
    if isinstance(exc, TooLarge):
        return field_error(413, "file", str(exc))
    if isinstance(exc, UnsupportedMedia):
        return field_error(415, "file", str(exc))
    return field_error(400, "request", str(exc))
