"""The hazard lifecycle: states and who may move a ticket between them."""

from __future__ import annotations

from enum import StrEnum

from services.dispatch.domain.errors import IllegalTransition, NotAllowed


class State(StrEnum):
    FILED = "filed"
    TRIAGED = "triaged"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CONFIRMED_FIXED = "confirmed_fixed"
    REPORTED_NOT_FIXED = "reported_not_fixed"
    REOPENED = "reopened"
    CLOSED = "closed"
    DUPLICATE = "duplicate"
    NOT_RESPONSIBLE = "not_responsible"
    CANCELLED = "cancelled"


S = State
# With a department, waiting for it to act (what a department's queue holds).
WORKING = (S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS)
# Waiting for an officer to route it by hand (the triage queue).
UNROUTED = (S.TRIAGED, S.NOT_RESPONSIBLE)
OPEN = (S.FILED, *UNROUTED, *WORKING, S.REOPENED)
FINAL = (S.CLOSED, S.DUPLICATE, S.CANCELLED)

_DEPT = frozenset({"department"})
_SYS = frozenset({"system"})
_OFFICE = frozenset({"system", "intake_officer", "admin"})

# action -> (states it may start from, the state it leads to, roles that may take it)
TRANSITIONS: dict[str, tuple[tuple[State, ...], State, frozenset[str]]] = {
    "triage": ((S.FILED,), S.TRIAGED, _OFFICE),
    "dispatch": ((S.TRIAGED, S.REOPENED, S.NOT_RESPONSIBLE), S.DISPATCHED, _OFFICE),
    "acknowledge": ((S.DISPATCHED,), S.ACKNOWLEDGED, _DEPT),
    "note_progress": ((S.ACKNOWLEDGED, S.IN_PROGRESS), S.IN_PROGRESS, _DEPT),
    "resolve": ((S.ACKNOWLEDGED, S.IN_PROGRESS), S.RESOLVED, _DEPT),
    "decline": (WORKING, S.NOT_RESPONSIBLE, _DEPT),
    # An officer (or a correction of category/place) takes a routed ticket back to route anew.
    "retriage": ((*WORKING, S.REOPENED), S.TRIAGED, _OFFICE),
    "confirm_fixed": ((S.RESOLVED,), S.CONFIRMED_FIXED, frozenset({"reporter"})),
    "report_not_fixed": ((S.RESOLVED,), S.REPORTED_NOT_FIXED, frozenset({"reporter"})),
    "reopen": ((S.REPORTED_NOT_FIXED,), S.REOPENED, _SYS),
    # From resolved directly when the reporter did not answer within the window.
    "close": ((S.CONFIRMED_FIXED, S.RESOLVED), S.CLOSED, _SYS),
    "mark_duplicate": (OPEN, S.DUPLICATE, frozenset({"system", "intake_officer"})),
    "unmerge": ((S.DUPLICATE,), S.TRIAGED, frozenset({"system", "intake_officer"})),
    "cancel": (OPEN, S.CANCELLED, frozenset({"intake_officer", "admin", "reporter"})),
}


def next_state(action: str, current: State, role: str) -> State:
    """The state `action` leads to; IllegalTransition or NotAllowed when it may not happen."""
    sources, target, roles = TRANSITIONS[action]
    # The role first: a caller who may never take this step learns nothing of the state.
    if role not in roles:
        raise NotAllowed(f"a {role} may not {action.replace('_', ' ')}")
    if current not in sources:
        raise IllegalTransition(action.replace("_", " "), current.value)
    return target


def allowed_actions(current: State, role: str) -> list[str]:
    """Actions this role may take now (shown to callers beside the ticket)."""
    return [
        action
        for action, (sources, _target, roles) in TRANSITIONS.items()
        if current in sources and role in roles
    ]
