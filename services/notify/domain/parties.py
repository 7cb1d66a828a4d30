"""Which party a caller is, in notify's keys, and who may read the delivery log."""

from __future__ import annotations

from shared.contracts.envelope import Actor

# Organisations are keyed by kind (their inbox, preferences and deliveries); people by id.
_ORGANISATION_ROLES = frozenset({"department", "mediator"})
OPERATOR_ROLES = frozenset({"committee", "admin", "intake_officer"})


def party_key(actor: Actor) -> str:
    """department 'zx-road' -> 'department:zx-road'; committee -> 'committee'; else the id."""
    if actor.role in _ORGANISATION_ROLES:
        return f"{actor.role}:{actor.id}"
    if actor.role == "committee":
        return "committee"
    return actor.id


def is_operator(actor: Actor) -> bool:
    return actor.role in OPERATOR_ROLES
