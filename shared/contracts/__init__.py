"""Event contracts: the envelope, the stream topology and the versioned event payloads."""

from shared.contracts.catalogue import CATALOGUE, EventSpec, payload_model
from shared.contracts.envelope import Actor, Envelope, new_event

__all__ = ["CATALOGUE", "Actor", "Envelope", "EventSpec", "new_event", "payload_model"]
