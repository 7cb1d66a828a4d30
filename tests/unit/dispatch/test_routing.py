import pytest

from services.dispatch.adapters.directory_file import load_directory
from services.dispatch.domain.directory import Department, Directory, ServiceTarget
from services.dispatch.domain.errors import IllegalTransition, NoDepartment, NotAllowed
from services.dispatch.domain.lifecycle import State, next_state

DIRECTORY = Directory(
    departments=(
        Department(
            department_id="zx-road",
            name="赵巷镇道路养护所",
            categories=frozenset({"road_damage"}),
            jurisdictions=frozenset({"zhaoxiang"}),
        ),
        Department(
            department_id="urban", name="城管", categories=frozenset({"road_damage", "other"})
        ),
    ),
    targets={"road_damage": ServiceTarget(acknowledge_hours=8, resolve_days=5)},
)


def test_a_local_department_wins_over_a_district_one():
    assert DIRECTORY.route("road_damage", "zhaoxiang").department_id == "zx-road"


def test_elsewhere_the_district_department_takes_it():
    assert DIRECTORY.route("road_damage", "jinze").department_id == "urban"


def test_not_ours_reroutes_to_the_next_department():
    assert (
        DIRECTORY.route("road_damage", "zhaoxiang", frozenset({"zx-road"})).department_id == "urban"
    )


def test_a_category_nobody_covers_goes_back_to_triage():
    with pytest.raises(NoDepartment):
        DIRECTORY.route("traffic_signal", "zhaoxiang")


def test_service_targets_fall_back_to_the_default():
    assert DIRECTORY.target("road_damage").acknowledge_hours == 8
    assert DIRECTORY.target("other") == DIRECTORY.default_target


def test_the_demo_directory_covers_every_category_in_every_town():
    from services.intake.adapters.jurisdictions import JurisdictionMap
    from services.intake.domain.catalogue import HAZARD_CATEGORIES

    directory = load_directory()
    for town in JurisdictionMap.from_file().all():
        for cat in HAZARD_CATEGORIES:
            assert directory.route(cat.code, town.code)


def test_the_closed_loop_path():
    state = State.FILED
    for action, role in [
        ("triage", "system"),
        ("dispatch", "system"),
        ("acknowledge", "department"),
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


def test_a_reporter_cannot_resolve_a_hazard():
    with pytest.raises(NotAllowed):
        next_state("resolve", State.ACKNOWLEDGED, "reporter")


def test_resolving_before_acknowledging_is_illegal():
    with pytest.raises(IllegalTransition, match="dispatched"):
        next_state("resolve", State.DISPATCHED, "department")
