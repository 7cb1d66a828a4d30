"""The dispute lifecycle: states, and who may move a dispute from where to where."""

from __future__ import annotations

from enum import StrEnum

from services.mediation.domain.errors import IllegalTransition, NotAllowed


class State(StrEnum):
    REGISTERED = "registered"
    ACCEPTANCE_REVIEW = "acceptance_review"
    REJECTED = "rejected"
    RESPONDENT_DECLINED = "respondent_declined"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    IN_MEDIATION = "in_mediation"
    WAITING_PARTY = "waiting_party"
    AGREEMENT_SIGNED = "agreement_signed"
    FAILED = "failed"
    EXPIRED_NO_AGREEMENT = "expired_no_agreement"
    WITHDRAWN = "withdrawn"
    PERFORMANCE_MONITORING = "performance_monitoring"
    PERFORMED = "performed"
    NON_PERFORMANCE = "non_performance"
    REFERRED_TO_ARBITRATION = "referred_to_arbitration"
    CLOSED = "closed"
    MERGED = "merged"
    # A member case of a group dispute: it follows its parent, which carries the lifecycle.
    GROUP_MEMBER = "group_member"


S = State
TERMINAL = frozenset({S.CLOSED, S.MERGED})
# States in which a mediator carries the case (open caseload, reassignment, risk routing).
REASSIGNABLE = frozenset({S.ASSIGNED, S.IN_MEDIATION, S.WAITING_PARTY})
# While the case waits on a party, internal service targets pause (legal clocks never do).
PAUSED = frozenset({S.WAITING_PARTY})
# Mediation ended without agreement: the arbitration route is open.
ENDED_WITHOUT_AGREEMENT = frozenset(
    {S.FAILED, S.EXPIRED_NO_AGREEMENT, S.RESPONDENT_DECLINED, S.REJECTED, S.WITHDRAWN}
)
_OPEN_BEFORE_AGREEMENT = (
    S.REGISTERED,
    S.ACCEPTANCE_REVIEW,
    S.ACCEPTED,
    S.ASSIGNED,
    S.IN_MEDIATION,
    S.WAITING_PARTY,
)

# action -> (states it starts from, state it leads to, roles that may take it)
TRANSITIONS: dict[str, tuple[tuple[State, ...], State, frozenset[str]]] = {
    "review": ((S.REGISTERED,), S.ACCEPTANCE_REVIEW, frozenset({"system", "committee"})),
    "accept": ((S.ACCEPTANCE_REVIEW,), S.ACCEPTED, frozenset({"system", "committee"})),
    "reject": ((S.ACCEPTANCE_REVIEW,), S.REJECTED, frozenset({"committee"})),
    "respondent_decline": (
        (S.ACCEPTANCE_REVIEW, S.ACCEPTED, S.ASSIGNED),
        S.RESPONDENT_DECLINED,
        frozenset({"respondent", "committee"}),
    ),
    "assign": ((S.ACCEPTED, S.ASSIGNED), S.ASSIGNED, frozenset({"system", "committee"})),
    "start": ((S.ASSIGNED,), S.IN_MEDIATION, frozenset({"mediator", "committee"})),
    "wait_for_party": ((S.IN_MEDIATION,), S.WAITING_PARTY, frozenset({"mediator", "committee"})),
    "resume": ((S.WAITING_PARTY,), S.IN_MEDIATION, frozenset({"mediator", "committee", "system"})),
    "sign_agreement": (
        (S.IN_MEDIATION, S.WAITING_PARTY),
        S.AGREEMENT_SIGNED,
        frozenset({"mediator"}),
    ),
    "fail": ((S.IN_MEDIATION, S.WAITING_PARTY), S.FAILED, frozenset({"mediator", "committee"})),
    # LDMAL 14 counts from receipt of the application: the limit can run out before acceptance.
    "expire": (
        (S.ACCEPTANCE_REVIEW, S.ACCEPTED, S.ASSIGNED, S.IN_MEDIATION, S.WAITING_PARTY),
        S.EXPIRED_NO_AGREEMENT,
        frozenset({"system"}),
    ),
    "withdraw": (_OPEN_BEFORE_AGREEMENT, S.WITHDRAWN, frozenset({"complainant", "committee"})),
    "monitor_performance": (
        (S.AGREEMENT_SIGNED,),
        S.PERFORMANCE_MONITORING,
        frozenset({"system", "mediator"}),
    ),
    "record_performed": (
        (S.PERFORMANCE_MONITORING,),
        S.PERFORMED,
        frozenset({"mediator", "committee", "respondent"}),
    ),
    "record_non_performance": (
        (S.PERFORMANCE_MONITORING,),
        S.NON_PERFORMANCE,
        frozenset({"mediator", "committee", "system"}),
    ),
    "refer_to_arbitration": (
        (S.NON_PERFORMANCE, S.FAILED, S.EXPIRED_NO_AGREEMENT, S.RESPONDENT_DECLINED),
        S.REFERRED_TO_ARBITRATION,
        frozenset({"mediator", "committee"}),
    ),
    "close": (
        (
            S.PERFORMED,
            S.REFERRED_TO_ARBITRATION,
            S.REJECTED,
            S.RESPONDENT_DECLINED,
            S.FAILED,
            S.EXPIRED_NO_AGREEMENT,
            S.WITHDRAWN,
        ),
        S.CLOSED,
        frozenset({"mediator", "committee", "system"}),
    ),
    "merge": (_OPEN_BEFORE_AGREEMENT, S.MERGED, frozenset({"committee"})),
}


def next_state(action: str, current: State, role: str) -> State:
    """The state after `action`, or an error naming why it is not allowed now."""
    sources, target, roles = TRANSITIONS[action]
    # The role first: a caller who may never take this step learns nothing of the state.
    if role not in roles:
        raise NotAllowed(f"a {role} may not {action.replace('_', ' ')}")
    if current not in sources:
        raise IllegalTransition(action.replace("_", " "), current.value)
    return target


def check_reassignable(state: State, action: str = "reassign") -> None:
    """A mediator can be replaced only while one carries the case."""
    if state not in REASSIGNABLE:
        raise IllegalTransition(action, state.value)


# The steps a person takes on a dispute page, in the order a page offers them.
CASEWORK = frozenset({"mediator", "committee"})
_WORKING = (S.IN_MEDIATION, S.WAITING_PARTY)


def allowed_actions(
    state: State, role: str, *, own: bool, platform_worker: bool, extended: bool
) -> list[str]:
    """What this caller may do to the dispute now, so a page offers only live actions.

    A mediator acts only on a dispute assigned to them (a granted one is read-only); the
    committee acts on any. The service still checks every step: this only avoids stale buttons.
    """
    if role == "mediator" and not own:
        return []
    out: list[str] = []
    for action in (
        "accept",
        "reject",
        "start",
        "wait_for_party",
        "resume",
        "sign_agreement",
        "fail",
        "refer_to_arbitration",
        "close",
    ):
        sources, _target, roles = TRANSITIONS[action]
        if role in roles and state in sources:
            out.append(action)
    if role in CASEWORK and state in REASSIGNABLE:
        out.append("schedule_session")
    if role in CASEWORK and state in _WORKING and platform_worker and not extended:
        out.append("extend")
    if role in CASEWORK and state == S.PERFORMANCE_MONITORING:
        out.append("record_performance")
    if role in CASEWORK and state in (S.AGREEMENT_SIGNED, S.PERFORMANCE_MONITORING):
        out.append("record_application")
    if role == "committee" and state in REASSIGNABLE:
        out.append("reassign")
    if role == "committee" and state not in TERMINAL:
        out.append("grant")
    return out
