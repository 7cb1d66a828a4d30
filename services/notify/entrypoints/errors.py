"""Domain errors as HTTP answers: 403 for another party's business."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from services.notify.domain.errors import NotYourParty
from shared.platform.http import ErrorMapping

# NotifyError -> HTTPException, for a route to raise
http_error = ErrorMapping(
    [(NotYourParty, 403, lambda _: "only your own preferences")],
    otherwise=(409, str),
    answer=HTTPException,
)
# What a route about one party's or one case's business documents besides its answer.
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not the caller's own, and the caller is no operator"}
}
