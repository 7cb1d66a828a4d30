"""Reading a `case.filed`: the one decode its subscribers share (dispatch, mediation).

A subscriber that owns the case's kind refuses a filing it cannot read (the kit dead-letters a
`ValueError` at once, as a permanent error); one that only looks at it skips it.
"""

from __future__ import annotations

from pydantic import ValidationError

from shared.contracts.envelope import Envelope
from shared.contracts.events.common import CaseKind
from shared.contracts.events.intake import CaseFiled
from shared.contracts.reading import read_payload


class UnreadableFiling(ValueError):
    """The payload does not validate, or lacks the details of its kind."""


def filed_case(envelope: Envelope, kind: CaseKind | None = None) -> CaseFiled | None:
    """The filing as this code reads it; None when it files a case of another `kind`.

    With a `kind`, the filing must carry that kind's details (`dispute`, `hazard`).
    Raises `UnreadableFiling` otherwise (a missing upcaster raises its own `ValueError`).
    """
    if kind is not None and envelope.payload.get("kind") != kind:
        return None
    try:
        filed = read_payload(envelope, CaseFiled)
    except ValidationError as exc:
        raise UnreadableFiling(f"case.filed payload: {exc}") from exc
    if kind is not None and getattr(filed, kind) is None:
        raise UnreadableFiling(f"case.filed of kind {kind} without {kind} details")
    return filed
