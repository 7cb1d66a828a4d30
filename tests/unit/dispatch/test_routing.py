import pytest

from services.dispatch.adapters.directory_file import load_directory
from services.dispatch.domain.directory import Department, Directory, ServiceTarget
from services.dispatch.domain.errors import InvalidDirectory, NoDepartment

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


def test_supervisors_and_retired_departments_never_take_a_hazard():
    directory = DIRECTORY.model_copy(
        update={
            "departments": (
                DIRECTORY.departments[0].model_copy(update={"active": False}),
                DIRECTORY.departments[1],
                Department(
                    department_id="boss",
                    name="督办",
                    kind="supervisor",
                    categories=frozenset({"road_damage"}),
                    jurisdictions=frozenset({"zhaoxiang"}),
                ),
            )
        }
    )
    assert directory.route("road_damage", "zhaoxiang").department_id == "urban"


def test_the_demo_chain_goes_from_the_town_supervisor_to_the_district():
    directory = load_directory()
    for department in directory.departments:
        if department.kind != "department":
            continue
        chain = [d.department_id for d in directory.escalation_chain(department.department_id)]
        assert chain, f"{department.department_id} escalates to nobody"
        assert chain[-1] == "district-supervisor"
        assert all(directory.get(x).kind == "supervisor" for x in chain)  # type: ignore[union-attr]
    assert [d.department_id for d in directory.escalation_chain("zhaoxiang-road")] == [
        "zhaoxiang-supervisor",
        "district-supervisor",
    ]


def test_a_directory_escalating_to_an_unknown_entry_is_refused():
    broken = DIRECTORY.model_copy(
        update={
            "departments": (DIRECTORY.departments[0].model_copy(update={"escalation": ("ghost",)}),)
        }
    )
    with pytest.raises(InvalidDirectory, match="ghost"):
        broken.check()


def test_points_are_per_category_with_a_default():
    directory = load_directory()
    assert directory.points_for("manhole_cover") == 20
    assert directory.points_for("something_new") == directory.default_points
