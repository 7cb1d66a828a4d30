"""Domain errors as HTTP answers: 404, 403, 409 naming the current state, 422 naming the field."""

from __future__ import annotations

from fastapi import HTTPException

from services.dispatch.domain.errors import (
    DuplicateStation,
    IllegalTransition,
    InvalidDirectory,
    InvalidEntry,
    InvalidStation,
    NotAllowed,
    NotFound,
    Refused,
)
from shared.platform.http import ErrorMapping

# DispatchError -> HTTPException, for a route to raise
http_error = ErrorMapping(
    [
        (NotFound, 404, lambda e: f"not found: {e}"),
        (IllegalTransition, 409, lambda e: {"message": str(e), "state": e.state}),
        (NotAllowed, 403, str),
        (DuplicateStation, 409, lambda e: {"field": e.field, "message": str(e)}),
        (Refused, 409, lambda e: {"reason": e.reason, "message": str(e)}),
        (
            (InvalidDirectory, InvalidStation, InvalidEntry),
            422,
            lambda e: {"field": e.field, "message": str(e)},
        ),
    ],
    otherwise=(409, str),
    answer=HTTPException,
)
