"""An Open311 update a department's own system posted (FixMyStreet extension), as recorded.

Recorded once per (department, update_id): a repeat with the same body is the same update,
with another body a conflict (the department's system reused an id). Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.intake.domain.commands import DepartmentUpdateIn
from services.intake.domain.errors import Conflict


@dataclass(frozen=True)
class PostedUpdate:
    department_id: str
    update_id: str
    case_id: uuid.UUID
    status: str
    action: str
    description: str
    updated_datetime: datetime
    event_id: uuid.UUID
    received_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def check_repeat(self, cmd: DepartmentUpdateIn) -> None:
        """A repeat of this update_id must be this very update."""
        if str(self.case_id) != cmd.service_request_id:
            raise Conflict(f"update_id {cmd.update_id} was already used for another request")
        at = self.updated_datetime
        at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        same = (self.status, self.description, at) == (
            cmd.status.lower(),
            cmd.description,
            cmd.updated_datetime,
        )
        if not same:
            raise Conflict(f"update_id {cmd.update_id} was already used with another body")
