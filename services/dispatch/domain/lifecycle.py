"""The hazard lifecycle (SPEC §5): states and who may move a ticket between them."""

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
_OPEN = (S.FILED, S.TRIAGED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED)
_DEPT = frozenset({"department"})
_SYS = frozenset({"system"})

TRANSITIONS: dict[str, tuple[tuple[State, ...], State, frozenset[str]]] = {
    "triage": ((S.FILED,), S.TRIAGED, frozenset({"system", "intake_officer"})),
    "dispatch": (
        (S.TRIAGED, S.REOPENED, S.NOT_RESPONSIBLE),
        S.DISPATCHED,
        frozenset({"system", "intake_officer", "admin"}),
    ),
    "acknowledge": ((S.DISPATCHED,), S.ACKNOWLEDGED, _DEPT),
    "start_work": ((S.ACKNOWLEDGED,), S.IN_PROGRESS, _DEPT),
    "resolve": ((S.ACKNOWLEDGED, S.IN_PROGRESS), S.RESOLVED, _DEPT),
    "decline": ((S.DISPATCHED, S.ACKNOWLEDGED), S.NOT_RESPONSIBLE, _DEPT),
    "confirm_fixed": ((S.RESOLVED,), S.CONFIRMED_FIXED, frozenset({"reporter", "system"})),
    "report_not_fixed": ((S.RESOLVED,), S.REPORTED_NOT_FIXED, frozenset({"reporter"})),
    "reopen": ((S.REPORTED_NOT_FIXED,), S.REOPENED, _SYS),
    "close": ((S.CONFIRMED_FIXED, S.RESOLVED), S.CLOSED, _SYS),
    "mark_duplicate": (_OPEN, S.DUPLICATE, frozenset({"system", "intake_officer"})),
    "cancel": (_OPEN, S.CANCELLED, frozenset({"intake_officer", "admin", "reporter"})),
}


def next_state(action: str, current: State, role: str) -> State:
    sources, target, roles = TRANSITIONS[action]
    if current not in sources:
        raise IllegalTransition(action.replace("_", " "), current.value)
    if role not in roles:
        raise NotAllowed(f"a {role} may not {action.replace('_', ' ')}")
    return target
