"""Domain errors as HTTP answers: 403 for another party's business."""

from __future__ import annotations

from fastapi import HTTPException

from services.notify.domain.errors import NotYourParty
from shared.http import ErrorMapping

# NotifyError -> HTTPException, for a route to raise
http_error = ErrorMapping(
    [(NotYourParty, 403, lambda _: "only your own preferences")],
    otherwise=(409, str),
    answer=HTTPException,
)
