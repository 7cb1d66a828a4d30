"""Service targets as dates: due times, the warning before, the escalation levels after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.dispatch.domain.directory import ServiceTarget
from services.dispatch.domain.lifecycle import State
from services.dispatch.domain.targets import (
    MAX_LEVELS,
    due_times,
    kinds_of,
    next_due,
    pending_target,
    plan,
    still_applies,
)

T0 = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)
FIRE_LANE = ServiceTarget(acknowledge_hours=2, resolve_days=1, escalation_step_hours=24)


def test_due_times_count_calendar_hours_and_days_from_the_dispatch():
    ack, resolve = due_times(FIRE_LANE, T0)
    assert ack == T0 + timedelta(hours=2)
    assert resolve == T0 + timedelta(days=1)


def test_the_warning_comes_when_a_quarter_of_the_time_is_left():
    ack, _ = due_times(FIRE_LANE, T0)
    [warning, *_] = plan("acknowledge", T0, ack, FIRE_LANE, "xujing-property", [])
    assert warning.kind == "acknowledge.warning"
    assert warning.at == T0 + timedelta(hours=1, minutes=30)
    assert warning.data == {
        "target": "acknowledge",
        "due_at": ack.isoformat(),
        "department_id": "xujing-property",
    }


def test_escalation_climbs_the_chain_one_step_at_a_time_from_the_breach():
    _, resolve = due_times(FIRE_LANE, T0)
    chain = ["xujing-supervisor", "district-supervisor"]
    timers = plan("resolve", T0, resolve, FIRE_LANE, "xujing-property", chain)
    escalations = [(t.kind, t.at, t.data["escalated_to"], t.data["level"]) for t in timers[1:]]
    assert escalations == [
        ("resolve.escalation.1", resolve, "xujing-supervisor", 1),
        ("resolve.escalation.2", resolve + timedelta(hours=24), "district-supervisor", 2),
    ]


def test_without_anyone_above_a_breach_is_still_raised_once_to_the_department():
    timers = plan("acknowledge", T0, T0 + timedelta(hours=1), FIRE_LANE, "lonely", [])
    assert [t.data.get("escalated_to") for t in timers[1:]] == ["lonely"]


def test_every_planned_kind_can_be_cancelled():
    chain = [f"s{n}" for n in range(MAX_LEVELS + 3)]
    for name in ("acknowledge", "resolve"):
        timers = plan(name, T0, T0 + timedelta(hours=1), FIRE_LANE, "d", chain)  # type: ignore[arg-type]
        assert len(timers) == 1 + MAX_LEVELS
        assert {t.kind for t in timers} <= set(kinds_of(name))  # type: ignore[arg-type]


def test_only_an_unmet_target_with_an_unchanged_due_time_counts():
    due = T0 + timedelta(hours=2)
    assert still_applies("acknowledge", State.DISPATCHED, due, due)
    assert not still_applies("acknowledge", State.ACKNOWLEDGED, due, due)
    assert still_applies("resolve", State.IN_PROGRESS, due, due)
    assert not still_applies("resolve", State.RESOLVED, due, due)
    assert not still_applies("resolve", State.IN_PROGRESS, due + timedelta(days=1), due)
    assert not still_applies("resolve", State.TRIAGED, None, due)


def test_the_queue_is_ordered_by_the_earliest_unmet_target():
    ack, resolve = T0 + timedelta(hours=1), T0 + timedelta(days=1)
    assert next_due(State.DISPATCHED, ack, resolve) == ack
    assert next_due(State.IN_PROGRESS, ack, resolve) == resolve
    assert next_due(State.RESOLVED, ack, resolve) is None
    assert pending_target(State.CLOSED) is None
