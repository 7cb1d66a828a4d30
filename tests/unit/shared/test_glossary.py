"""The glossary names every code the services can show a person, in zh-CN and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.dispatch.domain.lifecycle import TRANSITIONS
from services.dispatch.domain.lifecycle import State as HazardState
from services.intake.domain.catalogue import DISPUTE_TYPES, HAZARD_CATEGORIES
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.lifecycle import State as DisputeState
from shared.contracts.catalogue import CATALOGUE
from shared.contracts.envelope import Role
from shared.contracts.glossary import TERMS, codes, explain, term, written_date, written_time

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("state", [s.value for s in DisputeState]),
        ("state", [s.value for s in HazardState]),
        ("clock", [c.value for c in ClockName]),
        ("event", list(CATALOGUE)),
        ("action", list(TRANSITIONS)),
        ("category", [c.code for c in HAZARD_CATEGORIES]),
        ("dispute_type", list(DISPUTE_TYPES)),
        ("role", list(Role.__args__)),
    ],
)
def test_every_code_the_services_use_has_a_chinese_and_an_english_name(
    kind: str, values: list[str]
) -> None:
    missing = [v for v in values if v not in TERMS[kind]]
    assert missing == []


def test_the_intake_catalogue_and_the_glossary_name_categories_alike() -> None:
    for c in HAZARD_CATEGORIES:
        assert term("category", c.code) == c.name_zh
        assert term("category", c.code, "en") == c.name_en
    for code, (zh, en) in DISPUTE_TYPES.items():
        assert (term("dispute_type", code), term("dispute_type", code, "en")) == (zh, en)


def test_every_town_of_the_district_and_every_demo_mediator_is_named() -> None:
    towns = json.loads((ROOT / "services/intake/adapters/data/jurisdictions.geojson").read_text())
    for feature in towns["features"]:
        props = feature["properties"]
        assert term("town", props["code"]) == props["name_zh"]
    roster = json.loads((ROOT / "services/mediation/adapters/data/roster.json").read_text())
    for m in roster["mediators"]:
        assert term("mediator", m["mediator_id"]) == m["name"]
    for b in roster["bodies"]:
        assert term("body", b["body_id"]) == b["name"]
        assert term("body_kind", b["kind"]) != b["kind"]


def test_no_chinese_name_is_left_in_english_or_empty() -> None:
    for kind, table in TERMS.items():
        for code, (zh, en) in table.items():
            assert zh and en, (kind, code)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), (kind, code, zh)


def test_no_two_states_read_alike() -> None:
    """A state filter lists every state once: two states with one word could not be told apart."""
    from shared.contracts.glossary.states import STATES

    for lang in (0, 1):
        words = [names[lang] for names in STATES.values()]
        assert len(words) == len(set(words)), sorted(w for w in words if words.count(w) > 1)


def test_an_unknown_code_comes_back_as_it_is_and_choices_keep_their_order() -> None:
    assert term("state", "no_such_state") == "no_such_state"
    assert term("state", None) == ""
    assert codes("urgency") == ("low", "normal", "high", "critical")


def test_times_are_written_in_shanghai_the_way_people_write_them() -> None:
    assert written_time("2026-12-05T03:40:00+00:00") == "2026年12月5日 11:40"
    assert written_time("2026-12-05T03:40:00Z", "en") == "5 Dec 2026, 11:40"
    assert written_time("2026-12-05T16:30:00") == "2026年12月6日 00:30"  # naive is UTC
    assert written_date("2026-10-08") == "2026年10月8日"
    assert written_date("2026-12-05T17:00:00+00:00") == "2026年12月6日"
    assert written_time(None) == ""


def test_a_refusal_reads_in_chinese_field_by_field() -> None:
    check_digit = "Value error, the ID number's check digit is wrong"
    body = {
        "detail": "invalid request",
        "errors": [
            {"field": "complainant.phone", "message": "x", "type": "string_pattern_mismatch"},
            {"field": "complainant.id_number", "message": check_digit, "type": "value_error"},
            {"field": "claim", "message": "Field required", "type": "missing"},
        ],
    }
    assert explain(422, body) == {
        "complainant.phone": "格式不正确",
        "complainant.id_number": "身份证号校验位不正确",
        "claim": "必填",
    }


def test_a_stale_action_says_where_the_case_stands_now() -> None:
    body = {"detail": {"message": "cannot resolve a hazard in state closed", "state": "closed"}}
    assert explain(409, body) == {"_": "案件状态已变化，此操作不再适用（当前状态：已结案）"}
    assert explain(403, {"detail": "this hazard is not yours to see"}) == {"_": "您无权执行此操作"}
    assert explain(502, "<html>bad gateway</html>") == {"_": "服务暂时不可用，请稍后再试"}
    assert "English" not in explain(409, {"detail": "x"}, "en")["_"]
