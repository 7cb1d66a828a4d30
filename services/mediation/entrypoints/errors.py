"""Domain errors as HTTP answers, and the error responses the dispute routes document."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from services.mediation.domain.errors import (
    AgainstTheRules,
    IllegalTransition,
    Incomplete,
    NoMediatorAvailable,
    NotAllowed,
    NotFound,
    TooEarly,
)
from shared.platform.http import ErrorMapping

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such dispute"},
    403: {"description": "Not allowed for this caller"},
    409: {"description": "Not allowed in the current state (names it), or against the rules"},
    422: {"description": "Missing or invalid field (names it)"},
}

# MediationError -> HTTPException, for a route to raise
http_error = ErrorMapping(
    [
        (NotFound, 404, lambda e: f"not found: {e}"),
        (IllegalTransition, 409, lambda e: {"message": str(e), "state": e.state}),
        (NotAllowed, 403, str),
        (AgainstTheRules, 409, lambda e: {"message": str(e)}),
        (Incomplete, 422, lambda e: {"message": str(e), "errors": [{"field": e.field}]}),
        (TooEarly, 409, lambda e: {"message": str(e), "field": e.field}),
        (
            NoMediatorAvailable,
            409,
            lambda e: {"message": str(e), "state": "no_mediator_available"},
        ),
    ],
    otherwise=(409, str),
    answer=HTTPException,
)
