"""The Dispute aggregate's history and events: every step checked, recorded and announced.

The base of the aggregate's mixins (dispute.py): `take` checks a transition against
lifecycle.py and records it, `note` records an act that keeps the state, `raise_event` queues
what the service layer publishes; the actor checks every step shares live here too.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.mediation.domain.clocks import ClockName
from services.mediation.domain.dispute_clocks import ClockKeeping, HistoryEntry
from services.mediation.domain.errors import NotAllowed
from services.mediation.domain.lifecycle import State, next_state
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.common import Payload
from shared.contracts.raised import Raised

# The clocks a step that ends mediation stops, and the windows a signed agreement opens.
MEDIATION_CLOCKS = (
    ClockName.ACCEPTANCE_TARGET,
    ClockName.MEDIATION_LIMIT,
    ClockName.MEDIATION_TARGET,
)
PARTY_WINDOWS = (ClockName.JUDICIAL_CONFIRMATION, ClockName.ARBITRATION_REVIEW)


class HistoryKeeping(ClockKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    case_id: uuid.UUID
    complainant_id: str
    mediator_id: str | None
    respondents: list[dict[str, Any]]
    history_count: int
    updated_at: datetime | None
    events: list[Raised]

    def take(self, action: str, actor: Actor, at: datetime, *, note: str = "") -> State:
        """Check and apply one transition; record it on the history."""
        target = next_state(action, State(self.state), actor.role)
        self.note(action, actor, at, note=note, to_state=target)
        return target

    def note(
        self,
        action: str,
        actor: Actor,
        at: datetime,
        *,
        note: str = "",
        to_state: State | None = None,
    ) -> None:
        """A history entry; without `to_state` it records an act that keeps the state."""
        self.history_count += 1
        to = to_state.value if to_state else self.state
        self.history.append(
            HistoryEntry(self.history_count, action, self.state, to, actor, at, note[:1000])
        )
        self.state, self.updated_at = to, at

    def raise_event(self, event_type: str, payload: Payload, actor: Actor = SYSTEM) -> None:
        self.events.append(Raised(event_type, payload, actor))

    def check_mediator(self, actor: Actor) -> None:
        if actor.role == "mediator" and actor.id != self.mediator_id:
            raise NotAllowed("only the assigned mediator may act on this dispute")

    def check_respondent(self, actor: Actor, what: str) -> None:
        if actor.role == "respondent" and actor.id not in {
            str(r["party_id"]) for r in self.respondents
        }:
            raise NotAllowed(f"only a respondent named in this dispute may {what}")
