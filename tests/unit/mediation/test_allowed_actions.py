"""A dispute page offers only the steps its caller may take now (no stale buttons)."""

from __future__ import annotations

from services.mediation.domain.lifecycle import TRANSITIONS, State, allowed_actions


def offered(state: State, role: str, **kw: bool) -> list[str]:
    facts = {"own": True, "platform_worker": False, "extended": False} | kw
    return allowed_actions(state, role, **facts)


def test_the_committee_accepts_or_rejects_in_review_and_nothing_else_of_the_mediators():
    assert offered(State.ACCEPTANCE_REVIEW, "committee") == ["accept", "reject", "grant"]
    assert offered(State.ACCEPTANCE_REVIEW, "mediator") == []


def test_the_assigned_mediator_starts_schedules_and_a_granted_one_only_reads():
    assert offered(State.ASSIGNED, "mediator") == ["start", "schedule_session"]
    assert offered(State.ASSIGNED, "mediator", own=False) == []
    assert "reassign" in offered(State.ASSIGNED, "committee")


def test_in_mediation_the_mediator_signs_the_committee_does_not():
    mine = offered(State.IN_MEDIATION, "mediator")
    assert {"wait_for_party", "sign_agreement", "fail", "schedule_session"} <= set(mine)
    assert "sign_agreement" not in offered(State.IN_MEDIATION, "committee")
    assert "resume" in offered(State.WAITING_PARTY, "mediator")


def test_only_a_platform_workers_dispute_not_yet_extended_offers_the_extension():
    assert "extend" not in offered(State.IN_MEDIATION, "mediator")
    assert "extend" in offered(State.IN_MEDIATION, "mediator", platform_worker=True)
    assert "extend" not in offered(
        State.IN_MEDIATION, "mediator", platform_worker=True, extended=True
    )


def test_after_the_agreement_performance_then_arbitration_or_closing():
    assert offered(State.PERFORMANCE_MONITORING, "mediator") == [
        "record_performance",
        "record_application",
    ]
    assert offered(State.NON_PERFORMANCE, "mediator") == ["refer_to_arbitration"]
    assert offered(State.PERFORMED, "mediator") == ["close"]
    assert offered(State.CLOSED, "committee") == []


def test_every_offered_transition_is_one_the_lifecycle_allows():
    for state in State:
        for role in ("mediator", "committee", "intake_officer", "complainant"):
            for action in offered(state, role):
                if action in TRANSITIONS:
                    sources, _target, roles = TRANSITIONS[action]
                    assert state in sources and role in roles, (state, role, action)
