"""The Hazard aggregate's rules, in memory: transitions, due times, history and events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.dispatch.domain.directory import Department, ServiceTarget
from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.hazard import Hazard
from shared.contracts.envelope import SYSTEM, Actor

T0 = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)
ROAD = Department(department_id="zx-road", name="赵巷镇道路养护所")
TARGET = ServiceTarget(acknowledge_hours=8, resolve_days=5)
OFFICER = Actor(role="intake_officer", id="officer-1")


def dept(department_id: str = "zx-road") -> Actor:
    return Actor(role="department", id=department_id)


def filed() -> Hazard:
    return Hazard(
        case_id=uuid.uuid4(),
        tracking_code="T1",
        state="filed",
        category="road_damage",
        urgency="normal",
        title="路面塌陷",
        latitude=31.155,
        longitude=121.195,
        reporter_id="p-1",
        filed_at=T0,
        updated_at=T0,
    )


def dispatched(chain: list[str] | None = None) -> Hazard:
    hazard = filed()
    hazard.take("triage", SYSTEM, T0)
    hazard.dispatch(ROAD, TARGET, chain or ["town", "district"], T0)
    return hazard


def event_types(hazard: Hazard) -> list[str]:
    return [e.event_type for e in hazard.events]


def test_a_dispatch_sets_both_due_times_and_orders_the_queue_by_the_first():
    hazard = dispatched()
    assert hazard.state == "dispatched"
    assert hazard.department_id == "zx-road"
    assert hazard.acknowledge_due == T0 + timedelta(hours=8)
    assert hazard.resolve_due == T0 + timedelta(days=5)
    assert hazard.next_due == hazard.acknowledge_due
    assert event_types(hazard) == ["hazard.dispatched"]


def test_a_dispatch_plans_a_warning_and_one_escalation_per_level_for_each_target():
    hazard = filed()
    hazard.take("triage", SYSTEM, T0)
    planned = hazard.dispatch(ROAD, TARGET, ["town", "district"], T0)
    kinds = sorted(t.kind for t in planned)
    assert kinds == sorted(
        [f"{n}.warning" for n in ("acknowledge", "resolve")]
        + [f"{n}.escalation.{lvl}" for n in ("acknowledge", "resolve") for lvl in (1, 2)]
    )
    assert {t.data["escalated_to"] for t in planned if "escalated_to" in t.data} == {
        "town",
        "district",
    }


def test_acknowledging_moves_the_queue_order_to_the_resolve_due_time():
    hazard = dispatched()
    hazard.acknowledge(dept(), T0 + timedelta(hours=1))
    assert hazard.state == "acknowledged"
    assert hazard.next_due == hazard.resolve_due
    assert event_types(hazard)[-1] == "hazard.acknowledged"


def test_another_department_may_not_work_the_ticket():
    hazard = dispatched()
    with pytest.raises(NotAllowed):
        hazard.acknowledge(dept("someone-else"), T0)
    assert hazard.state == "dispatched"


def test_resolving_before_acknowledging_is_an_illegal_transition():
    hazard = dispatched()
    with pytest.raises(IllegalTransition):
        hazard.resolve("done", None, dept(), T0)


def test_a_fix_keeps_its_note_and_photo_and_waits_on_nobody_s_clock():
    hazard = dispatched()
    hazard.acknowledge(dept(), T0)
    hazard.resolve("补好了", "https://x/1.jpg", dept(), T0 + timedelta(hours=3))
    assert (hazard.state, hazard.resolution_note, hazard.resolution_photo_url) == (
        "resolved",
        "补好了",
        "https://x/1.jpg",
    )
    assert hazard.resolved_at == T0 + timedelta(hours=3)
    assert hazard.next_due is None


def test_every_step_is_numbered_on_the_history_with_its_from_and_to_state():
    hazard = dispatched()
    hazard.acknowledge(dept(), T0)
    assert [(e.position, e.action, e.from_state, e.to_state) for e in hazard.history] == [
        (1, "triage", "filed", "triaged"),
        (2, "dispatch", "triaged", "dispatched"),
        (3, "acknowledge", "dispatched", "acknowledged"),
    ]
    assert hazard.history_count == 3


def test_a_note_changes_no_state_but_takes_a_place_in_the_history():
    hazard = dispatched()
    hazard.warn("acknowledge", hazard.acknowledge_due or T0, T0)
    last = hazard.history[-1]
    assert (last.action, last.from_state, last.to_state) == (
        "acknowledge_warning",
        "dispatched",
        "dispatched",
    )
    assert event_types(hazard)[-1] == "hazard.target_warning"


def test_not_fixed_reopens_the_ticket_in_two_steps():
    hazard = dispatched()
    hazard.acknowledge(dept(), T0)
    hazard.resolve("ok", None, dept(), T0)
    hazard.report_not_fixed("还在漏", Actor(role="reporter", id="p-1"), T0)
    assert hazard.state == "reopened"
    assert [e.action for e in hazard.history[-2:]] == ["report_not_fixed", "reopen"]


def test_only_its_reporter_may_cancel_a_report():
    hazard = filed()
    with pytest.raises(NotAllowed):
        hazard.cancel("不要了", Actor(role="reporter", id="p-2"), T0)
    hazard.cancel("不要了", Actor(role="reporter", id="p-1"), T0)
    assert hazard.state == "cancelled"


def test_a_breach_counts_only_while_the_target_is_unmet_and_its_due_time_unmoved():
    hazard = dispatched()
    due = hazard.acknowledge_due
    assert due is not None
    assert hazard.breach_applies("acknowledge", "zx-road", due)
    assert not hazard.breach_applies("acknowledge", "other", due)
    assert not hazard.breach_applies("acknowledge", "zx-road", due - timedelta(hours=1))
    hazard.acknowledge(dept(), T0)
    assert not hazard.breach_applies("acknowledge", "zx-road", due)
    assert hazard.breach_applies("resolve", "zx-road", hazard.resolve_due or T0)


def test_withdrawing_tells_the_department_it_held_and_forgets_it():
    hazard = dispatched()
    hazard.take("retriage", OFFICER, T0)
    hazard.withdraw("moved", "", OFFICER)
    assert hazard.department_id is None
    withdrawn = hazard.events[-1]
    assert withdrawn.event_type == "hazard.withdrawn"
    assert withdrawn.payload.model_dump()["department_id"] == "zx-road"


def test_a_duplicate_remembers_its_original_and_an_unmerge_forgets_it():
    hazard = filed()
    original = uuid.uuid4()
    hazard.mark_duplicate(original, T0)
    assert (hazard.state, hazard.original_case_id) == ("duplicate", original)
    hazard.unmerge(OFFICER, T0, original)
    assert (hazard.state, hazard.original_case_id) == ("triaged", None)


def test_urging_a_closed_ticket_is_refused():
    hazard = filed()
    hazard.cancel("错报", OFFICER, T0)
    with pytest.raises(IllegalTransition):
        hazard.urge("快点", dept("town"), "赵巷镇", T0)


def test_the_timers_exist_only_once_dispatched():
    hazard = filed()
    assert not hazard.ever_timed
    hazard.take("triage", SYSTEM, T0)
    hazard.dispatch(ROAD, TARGET, [], T0)
    assert hazard.ever_timed
