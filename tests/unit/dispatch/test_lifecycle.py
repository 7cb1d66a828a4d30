"""Every transition of the hazard lifecycle: where it may start, who may take it."""

from __future__ import annotations

import pytest

from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.lifecycle import (
    FINAL,
    TRANSITIONS,
    State,
    allowed_actions,
    next_state,
)
from shared.platform.auth.roles import ROLES

LEGAL = [
    (action, source, role)
    for action, (sources, _target, roles) in TRANSITIONS.items()
    for source in sources
    for role in sorted(roles)
]
ILLEGAL_SOURCES = [
    (action, state)
    for action, (sources, _target, _roles) in TRANSITIONS.items()
    for state in State
    if state not in sources
]
WRONG_ROLES = [
    (action, sources[0], role)
    for action, (sources, _target, roles) in TRANSITIONS.items()
    for role in sorted(ROLES - roles)
]


@pytest.mark.parametrize(("action", "source", "role"), LEGAL)
def test_each_legal_transition_leads_to_its_target(action: str, source: State, role: str):
    assert next_state(action, source, role) is TRANSITIONS[action][1]


@pytest.mark.parametrize(("action", "state"), ILLEGAL_SOURCES)
def test_each_transition_from_a_wrong_state_is_illegal_and_names_that_state(
    action: str, state: State
):
    role = sorted(TRANSITIONS[action][2])[0]
    with pytest.raises(IllegalTransition) as caught:
        next_state(action, state, role)
    assert caught.value.state == state.value
    assert state.value in str(caught.value)


@pytest.mark.parametrize(("action", "source", "role"), WRONG_ROLES)
def test_each_transition_refuses_a_caller_without_the_role(action: str, source: State, role: str):
    with pytest.raises(NotAllowed):
        next_state(action, source, role)


def test_every_state_of_the_spec_is_reachable_from_filed():
    reachable, frontier = {State.FILED}, [State.FILED]
    while frontier:
        state = frontier.pop()
        for sources, target, _roles in TRANSITIONS.values():
            if state in sources and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(State)


def test_closed_and_cancelled_are_final_and_a_duplicate_leaves_only_by_an_unmerge():
    for state in FINAL:
        expected = ["unmerge"] if state is State.DUPLICATE else []
        for role in ROLES:
            assert allowed_actions(state, role) == (
                expected if role in ("system", "intake_officer") else []
            )


def test_the_closed_loop_path():
    state = State.FILED
    for action, role in [
        ("triage", "system"),
        ("dispatch", "system"),
        ("acknowledge", "department"),
        ("note_progress", "department"),
        ("resolve", "department"),
        ("confirm_fixed", "reporter"),
        ("close", "system"),
    ]:
        state = next_state(action, state, role)
    assert state is State.CLOSED


def test_not_fixed_reopens_and_dispatches_again():
    state = next_state("report_not_fixed", State.RESOLVED, "reporter")
    state = next_state("reopen", state, "system")
    assert next_state("dispatch", state, "system") is State.DISPATCHED


def test_silence_closes_a_resolved_hazard_directly():
    assert next_state("close", State.RESOLVED, "system") is State.CLOSED


def test_not_ours_can_be_re_dispatched_by_the_system_or_an_officer():
    state = next_state("decline", State.IN_PROGRESS, "department")
    assert state is State.NOT_RESPONSIBLE
    assert next_state("dispatch", state, "intake_officer") is State.DISPATCHED


def test_a_department_sees_what_it_may_do_next():
    assert allowed_actions(State.DISPATCHED, "department") == ["acknowledge", "decline"]
    assert allowed_actions(State.ACKNOWLEDGED, "department") == [
        "note_progress",
        "resolve",
        "decline",
    ]
    assert allowed_actions(State.RESOLVED, "reporter") == ["confirm_fixed", "report_not_fixed"]
