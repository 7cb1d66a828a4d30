import pytest
from pydantic import ValidationError

from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.domain import catalogue
from services.intake.domain.commands import FileDispute
from services.intake.domain.privacy import mask_name, mask_phone
from services.intake.domain.timeline import describe
from services.intake.domain.tracking import ALPHABET, new_tracking_code, normalise


def test_tracking_codes_are_short_and_unambiguous():
    codes = {new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)


def test_a_typed_tracking_code_is_normalised():
    assert normalise("abcd efgh") == "ABCD-EFGH"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("021-5555", "****5555"),
    ],
)
def test_phones_are_masked(phone, masked):
    assert mask_phone(phone) == masked


def test_names_are_masked_the_seed_way():
    assert mask_name("李明") == "李某"


def test_urgent_words_raise_the_urgency_one_step():
    cat = catalogue.category("road_damage")
    assert cat is not None
    assert catalogue.urgency_of(cat, "路面有坑") == "normal"
    assert catalogue.urgency_of(cat, "路面塌陷很危险") == "high"


def test_each_demo_town_centre_falls_in_its_own_jurisdiction():
    towns = {
        "zhaoxiang": (31.155, 121.195),
        "xujing": (31.180, 121.270),
        "huaxin": (31.240, 121.210),
        "jinze": (31.040, 120.920),
    }
    places = JurisdictionMap.from_file()
    assert len(places.all()) == 11
    for code, (lat, lng) in towns.items():
        found = places.locate(lat, lng)
        assert found is not None and found.code == code


def test_a_point_outside_the_district_has_no_jurisdiction():
    assert JurisdictionMap.from_file().locate(39.9, 116.4) is None


def test_an_oral_application_needs_the_applicants_confirmation():
    with pytest.raises(ValidationError, match="confirmation"):
        FileDispute.model_validate(
            {
                "complainant": {"name": "李某"},
                "respondents": [{"name": "某公司"}],
                "dispute_type": "unpaid_wages",
                "claim": "工资",
                "facts": "未发工资",
                "oral_application": {"confirmed_by_applicant": False, "read_back_by": "o-1"},
            }
        )


def test_unknown_dispute_types_are_rejected_by_name():
    with pytest.raises(ValidationError, match="dispute_type"):
        FileDispute.model_validate(
            {
                "complainant": {"name": "李某"},
                "respondents": [{"name": "x"}],
                "dispute_type": "bribery",
                "claim": "c",
                "facts": "f",
            }
        )


def test_timeline_text_fills_in_the_payload_in_both_languages():
    zh, en = describe("hazard.dispatched", {"department_name": "赵巷镇道路养护所"})
    assert "赵巷镇道路养护所" in zh and "赵巷镇道路养护所" in en


def test_timeline_text_of_an_unknown_event_falls_back_to_its_type():
    assert describe("future.event", {}) == ("future.event", "future.event")
