"""Events produced by notify, on `waystation.notify`."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.common import Payload


class NotificationOutcome(Payload):
    delivery_id: str = Field(max_length=64)
    source_event_id: str = Field(max_length=64)
    source_event_type: str = Field(max_length=100)
    party_role: str = Field(max_length=40)
    channel: str = Field(max_length=20)
    attempts: int = Field(ge=0)


class NotificationDelivered(NotificationOutcome):
    pass


class NotificationFailed(NotificationOutcome):
    error: str = Field(max_length=500)
