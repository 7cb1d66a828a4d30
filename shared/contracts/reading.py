"""Tolerant readers: how a consumer reads an event's payload, whatever version produced it.

Producers write strictly (`new_event` validates against the catalogue's model, which forbids
unknown fields). Consumers read with `read_payload`: fields they do not know are ignored, so a
producer may add a field before its consumers are upgraded; and an older version of the
payload is first brought up to the version this code reads by the registered upcasters (one
per breaking change, vN → vN+1, like eventsourcing's `upcast_v1_v2`). An event *newer* than
this code knows is not readable yet: `too_new` tells the consumer to keep it pending (neither
applied nor dead-lettered) until a consumer that knows the version takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from shared.contracts.envelope import Envelope

M = TypeVar("M", bound=BaseModel)
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# (event type, from version) -> the function turning that version's payload into the next.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register `fn` as the step from `from_version` to `from_version + 1` of `event_type`."""

    def register(fn: Upcaster) -> Upcaster:
        if (event_type, from_version) in UPCASTERS:
            raise ValueError(f"{event_type} v{from_version} already has an upcaster")
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return register


def known_version(event_type: str) -> int | None:
    """The version of `event_type` this code reads (the catalogue's), None if unknown."""
    from shared.contracts.catalogue import CATALOGUE

    spec = CATALOGUE.get(event_type)
    return spec.version if spec is not None else None


def too_new(envelope: Envelope) -> bool:
    """Written by a producer newer than this code: keep it for an upgraded consumer."""
    known = known_version(envelope.event_type)
    return known is not None and envelope.schema_version > known


def upcast(event_type: str, version: int, payload: dict[str, Any], to: int) -> dict[str, Any]:
    """`payload` of `version`, brought up to version `to` one registered step at a time."""
    while version < to:
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise ValueError(f"no upcaster for {event_type} v{version} -> v{version + 1}")
        payload, version = step(dict(payload)), version + 1
    return payload


def read_payload(envelope: Envelope, model: type[M]) -> M:
    """The payload as `model` reads it: upcast to this code's version, unknown fields ignored."""
    known = known_version(envelope.event_type) or envelope.schema_version
    payload = upcast(envelope.event_type, envelope.schema_version, envelope.payload, known)
    return model.model_validate(payload, extra="ignore")
