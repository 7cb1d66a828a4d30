"""What an aggregate raises: an event for its service layer to put on the outbox, in order."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.common import Payload


@dataclass(frozen=True)
class Raised:
    event_type: str
    payload: Payload
    actor: Actor = SYSTEM
