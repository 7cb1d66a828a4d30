from datetime import date

import pytest

from services.mediation.adapters.roster_file import load_roster
from services.mediation.domain.errors import NoMediatorAvailable
from services.mediation.domain.roster import DutyBody, Mediator, Roster, choose_mediator

ROSTER = Roster(
    bodies=(
        DutyBody(body_id="judicial", name="司法所", kind="judicial_office"),
        DutyBody(body_id="lawfirm", name="律所", kind="law_firm"),
        DutyBody(body_id="hq", name="总部调解站", kind="hq_station"),
    ),
    mediators=(
        Mediator(mediator_id="m-j1", name="甲", body_id="judicial"),
        Mediator(
            mediator_id="m-l1", name="乙", body_id="lawfirm", skills=frozenset({"unpaid_wages"})
        ),
        Mediator(mediator_id="m-l2", name="丙", body_id="lawfirm"),
        Mediator(mediator_id="m-hq", name="丁", body_id="hq", tied_to=frozenset({"ORG-SUDA"})),
    ),
    rotation=("judicial", "lawfirm"),
    always_on=("hq",),
)
LAWFIRM_WEEK = date(2026, 12, 1)  # ISO week 49: odd, so rotation[1]


def test_the_rotating_body_and_the_always_on_bodies_are_on_duty():
    assert ROSTER.on_duty(LAWFIRM_WEEK) == ["lawfirm", "hq"]


def test_skill_comes_first_inside_the_body_on_duty():
    chosen = choose_mediator(ROSTER, LAWFIRM_WEEK, [], {}, skill="unpaid_wages")
    assert chosen.mediator_id == "m-l1"


def test_open_caseload_spreads_the_work():
    chosen = choose_mediator(ROSTER, LAWFIRM_WEEK, [], {"m-l1": 3, "m-hq": 5}, skill=None)
    assert chosen.mediator_id == "m-l2"


def test_a_mediator_tied_to_the_respondent_is_never_assigned():
    roster = ROSTER.model_copy(update={"rotation": ("hq",), "always_on": ()})
    chosen = choose_mediator(roster, LAWFIRM_WEEK, ["ORG-SUDA"], {})
    assert chosen.mediator_id != "m-hq"


def test_an_objection_excludes_the_mediator_objected_to():
    chosen = choose_mediator(
        ROSTER, LAWFIRM_WEEK, [], {"m-hq": 2}, skill="unpaid_wages", exclude=["m-l1"]
    )
    assert chosen.mediator_id == "m-l2"


def test_no_conflict_free_mediator_is_an_error():
    roster = ROSTER.model_copy(update={"mediators": (ROSTER.mediators[3],)})
    with pytest.raises(NoMediatorAvailable):
        choose_mediator(roster, LAWFIRM_WEEK, ["ORG-SUDA"], {})


def test_the_demo_roster_loads_with_three_offices_plus_n():
    roster = load_roster()
    kinds = {b.kind for b in roster.bodies}
    assert {"judicial_office", "police_station", "law_firm"} <= kinds
    assert all(roster.body(m.body_id) for m in roster.mediators)


def test_a_shift_puts_another_body_on_duty_for_its_days():
    from services.mediation.domain.roster import Shift

    roster = ROSTER.model_copy(
        update={
            "shifts": (
                Shift(body_id="judicial", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2)),
            )
        }
    )
    assert roster.on_duty(date(2026, 12, 1)) == ["judicial", "hq"]
    assert roster.on_duty(date(2026, 12, 3)) == ["lawfirm", "hq"]


def test_equal_candidates_take_turns_by_who_was_assigned_longest_ago():
    chosen = choose_mediator(
        ROSTER, LAWFIRM_WEEK, ["ORG-SUDA"], {}, last_assigned={"m-l1": 100.0, "m-l2": 50.0}
    )
    assert chosen.mediator_id == "m-l2"
    chosen = choose_mediator(
        ROSTER, LAWFIRM_WEEK, ["ORG-SUDA"], {}, last_assigned={"m-l1": 100.0, "m-l2": 150.0}
    )
    assert chosen.mediator_id == "m-l1"


def test_caseload_is_weighed_against_capacity():
    big = Mediator(mediator_id="m-big", name="戊", body_id="lawfirm", capacity=20)
    roster = ROSTER.model_copy(update={"mediators": (*ROSTER.mediators, big)})
    chosen = choose_mediator(roster, LAWFIRM_WEEK, ["ORG-SUDA"], {"m-l1": 3, "m-l2": 3, "m-big": 5})
    assert chosen.mediator_id == "m-big"  # 5/20 is a lighter load than 3/10


def test_a_risk_goes_to_the_police_even_when_they_are_not_on_duty():
    from services.mediation.domain.roster import choose_police_mediator

    roster = ROSTER.model_copy(
        update={
            "bodies": (
                *ROSTER.bodies,
                DutyBody(body_id="police", name="派出所", kind="police_station"),
            ),
            "mediators": (
                *ROSTER.mediators,
                Mediator(mediator_id="m-p", name="警", body_id="police"),
            ),
        }
    )
    assert choose_police_mediator(roster, LAWFIRM_WEEK, [], {}).mediator_id == "m-p"
    with pytest.raises(NoMediatorAvailable):
        choose_police_mediator(ROSTER, LAWFIRM_WEEK, [], {})


def test_a_roster_naming_an_unknown_body_is_refused():
    with pytest.raises(ValueError, match="unknown duty bodies: nowhere"):
        Roster.model_validate(ROSTER.model_dump() | {"rotation": ("judicial", "nowhere")})
