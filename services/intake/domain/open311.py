"""How dispatch's hazard states read in Open311 (open/closed) and in FixMyStreet's extension."""

from __future__ import annotations

from typing import Literal

Open311Status = Literal["open", "closed"]
Action = Literal["acknowledge", "progress", "resolve", "decline"]

# Resolved counts as closed (FixMyStreet's "fixed" group); a reopen makes it open again.
CLOSED_STATES = frozenset({"resolved", "confirmed_fixed", "closed", "duplicate", "cancelled"})

# dispatch state -> FixMyStreet extended status (lower case, as mysociety/open311-adapter)
_EXTENDED: dict[str, str] = {
    "filed": "for_triage",
    "triaged": "for_triage",
    "dispatched": "action_scheduled",
    "acknowledged": "investigating",
    "in_progress": "in_progress",
    "resolved": "fixed",
    "confirmed_fixed": "fixed",
    "closed": "closed",
    "reported_not_fixed": "reopen",
    "reopened": "reopen",
    "duplicate": "duplicate",
    "not_responsible": "not_councils_responsibility",
    "cancelled": "cancelled",
}

# What a department's system may post, and what it asks dispatch to do.
_INBOUND: dict[str, Action] = {
    "investigating": "progress",
    "action_scheduled": "progress",
    "in_progress": "progress",
    "open": "progress",
    "fixed": "resolve",
    "closed": "resolve",
    "not_councils_responsibility": "decline",
    "internal_referral": "decline",
}
INBOUND_STATUSES = tuple(_INBOUND)


def open311_status(state: str) -> Open311Status:
    return "closed" if state in CLOSED_STATES else "open"


def extended_status(state: str) -> str:
    return _EXTENDED.get(state, "open" if open311_status(state) == "open" else "closed")


def action_for(posted_status: str, current_state: str) -> Action | None:
    """The dispatch action a department's posted status asks for; None if it is not one we know.

    Any "working on it" status acknowledges a freshly dispatched hazard first.
    """
    action = _INBOUND.get(posted_status.strip().lower())
    if action == "progress" and current_state == "dispatched":
        return "acknowledge"
    return action
