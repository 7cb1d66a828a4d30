"""Domain errors as HTTP answers: 404, 403, 409 naming the current state, 422 naming the field."""

from __future__ import annotations

from fastapi import HTTPException

from services.dispatch.domain.errors import (
    DispatchError,
    DuplicateStation,
    IllegalTransition,
    InvalidDirectory,
    InvalidEntry,
    InvalidStation,
    NotAllowed,
    NotFound,
    Refused,
)


def http_error(exc: DispatchError) -> HTTPException:
    if isinstance(exc, NotFound):
        return HTTPException(404, f"not found: {exc}")
    if isinstance(exc, IllegalTransition):
        return HTTPException(409, {"message": str(exc), "state": exc.state})
    if isinstance(exc, NotAllowed):
        return HTTPException(403, str(exc))
    if isinstance(exc, DuplicateStation):
        return HTTPException(409, {"field": exc.field, "message": str(exc)})
    if isinstance(exc, Refused):
        return HTTPException(409, {"reason": exc.reason, "message": str(exc)})
    if isinstance(exc, InvalidDirectory | InvalidStation | InvalidEntry):
        return HTTPException(422, {"field": exc.field, "message": str(exc)})
    return HTTPException(409, str(exc))
