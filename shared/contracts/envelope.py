"""The one envelope every event travels in (docs/asyncapi/ has each service's events)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.platform.clock import utc_now

Role = Literal[
    "system",
    "intake_officer",
    "reporter",
    "complainant",
    "respondent",
    "mediator",
    "committee",
    "department",
    "admin",
]


class Actor(BaseModel):
    """Who caused an event: a role and an opaque id, never personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    id: str = Field(default="system", max_length=100)


SYSTEM = Actor(role="system", id="system")


class Envelope(BaseModel):
    """Event envelope. Consumers read it tolerantly: unknown fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: uuid.UUID
    event_type: str = Field(min_length=3, max_length=100, pattern=r"^[a-z_]+(\.[a-z_]+)+$")
    schema_version: int = Field(ge=1)
    occurred_at: AwareDatetime
    case_id: uuid.UUID
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    actor: Actor
    payload: dict[str, Any] = Field(default_factory=dict)
    producer: str = Field(default="unknown", max_length=40)
    # Position of this event among its producer's events about the same case (1, 2, ...);
    # consumers apply a case's events in this order. Set by the outbox at commit.
    sequence: int | None = Field(default=None, ge=1)

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


def new_event(
    event_type: str,
    payload: BaseModel,
    *,
    case_id: uuid.UUID,
    correlation_id: uuid.UUID | None = None,
    causation_id: uuid.UUID | None = None,
    actor: Actor = SYSTEM,
    producer: str,
    occurred_at: datetime | None = None,
    cause: Envelope | None = None,
) -> Envelope:
    """Build an envelope after validating the payload strictly against the catalogue.

    An event caused by another (`cause`) joins its story: it inherits the correlation id and
    names the cause, unless the ids are given explicitly.
    """
    if cause is not None:
        correlation_id = correlation_id or cause.correlation_id
        causation_id = causation_id or cause.event_id
    from shared.contracts.catalogue import CATALOGUE

    spec = CATALOGUE.get(event_type)
    if spec is None:
        raise KeyError(f"unknown event type {event_type!r}: add it to the catalogue")
    if not isinstance(payload, spec.payload):
        raise TypeError(f"{event_type} takes {spec.payload.__name__}, not {type(payload).__name__}")
    if spec.producer != producer:
        raise ValueError(f"{event_type} is produced by {spec.producer}, not {producer}")
    return Envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=spec.version,
        occurred_at=occurred_at or utc_now(),
        case_id=case_id,
        correlation_id=correlation_id or case_id,
        causation_id=causation_id,
        actor=actor,
        payload=payload.model_dump(mode="json"),
        producer=producer,
    )
