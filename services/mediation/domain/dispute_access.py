"""Reading grants: the committee lets a mediator read a dispute not assigned to them.

A grant opens the dispute's record to that mediator, nothing more: only the assigned mediator
acts on the case. The grant itself is its own record (`ReadingGrant`, kept by the repository);
the dispute's history keeps each grant and revocation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from services.mediation.domain.dispute_history import HistoryKeeping
from services.mediation.domain.errors import NotAllowed
from shared.contracts.envelope import Actor

GRANTORS = frozenset({"committee"})


@dataclass(frozen=True)
class ReadingGrant:
    case_id: uuid.UUID
    mediator_id: str
    granted_by: str
    granted_at: datetime


def check_grantor(actor: Actor) -> None:
    if actor.role not in GRANTORS:
        raise NotAllowed(f"a {actor.role} may not grant access to a dispute")


class ReadingAccess(HistoryKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    def grant_access(self, mediator_id: str, actor: Actor, at: datetime) -> ReadingGrant:
        """A new grant to a mediator (the caller checked there was none), on the history."""
        check_grantor(actor)
        self.note("grant_access", actor, at, note=mediator_id)
        return ReadingGrant(self.case_id, mediator_id, actor.id, at)

    def revoke_access(self, mediator_id: str, actor: Actor, at: datetime) -> None:
        """A mediator's grant withdrawn (the caller found it), on the history."""
        check_grantor(actor)
        self.note("revoke_access", actor, at, note=mediator_id)
