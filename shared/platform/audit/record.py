"""One audit entry: who (actor, role) did what (action) to which case, which fields, when."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal, get_args

from pydantic import BaseModel, Field, field_validator

Action = Literal[
    "read", "list", "search", "create", "update", "export", "download", "upload", "purge"
]
ACTIONS: tuple[str, ...] = get_args(Action)
# A field is named, never quoted: a dotted lower-case path such as `parties.phone_masked`.
_FIELD = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
# How many case ids a list entry keeps; the count is always exact.
MAX_CASE_IDS = 200


class NotAFieldName(ValueError):
    """Something that is not a field name was offered as one (it could be a value)."""


def field_names(fields: Iterable[str]) -> list[str]:
    """The names, sorted and unique; refuses anything that does not look like a name."""
    names = sorted(set(fields))
    for name in names:
        if not _FIELD.match(name):
            raise NotAFieldName(f"not a field name: {name[:40]!r}")
    return names


class AuditRecord(BaseModel):
    """An entry as admins read it. Ids, names of fields, counts: no personal data."""

    seq: int = Field(description="位置 Position in the log (newest is highest)")
    at: datetime
    service: str
    actor_id: str = Field(description="The caller's actor id (a reporter's party id)")
    role: str
    case_id: uuid.UUID | None = Field(description="The case read or changed; null for a list")
    action: str
    fields: list[str] = Field(description="Names of the personal fields read or changed")
    case_ids: list[uuid.UUID] = Field(
        default_factory=list, description=f"A list's cases (the first {MAX_CASE_IDS})"
    )
    case_count: int | None = Field(description="How many cases a list returned")
    request_id: str | None = Field(description="The request's X-Request-Id")
    route: str | None = Field(description="The route template, e.g. /api/v1/cases/{case_id}")

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """SQLite gives back naive times; every time stored is UTC."""
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class AuditPage(BaseModel):
    items: list[AuditRecord]
    next_cursor: int | None = Field(description="Pass as `before` for the next (older) page")
