"""Intake's Open311, duplicate, attachment and timeline rules, without I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.domain import attributes
from services.intake.domain.apikeys import hash_api_key, new_api_key
from services.intake.domain.duplicates import Candidate, DuplicatePolicy, find_original
from services.intake.domain.errors import InvalidField
from services.intake.domain.geo import bounding_box, haversine_m
from services.intake.domain.media import sniff
from services.intake.domain.open311 import action_for, extended_status, open311_status
from services.intake.domain.timeline import describe, known_types
from services.intake.entrypoints.open311_format import when, xml_bytes
from shared.contracts.catalogue import CATALOGUE

NOW = datetime(2026, 5, 1, 3, 40, tzinfo=UTC)


def test_haversine_gives_known_distances():
    assert haversine_m(31.0, 121.0, 31.0, 121.0) == 0
    # one degree of latitude is about 111.2 km everywhere
    assert haversine_m(31.0, 121.0, 32.0, 121.0) == pytest.approx(111_195, rel=1e-3)
    # People's Square to Qingpu's old town, about 34 km as the crow flies
    assert 33_000 < haversine_m(31.2304, 121.4737, 31.1508, 121.1245) < 35_000


def test_the_bounding_box_holds_every_point_within_the_radius():
    lat, lng = 31.15, 121.19
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, 250)
    for bearing_lat, bearing_lng in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        step = 0.0001
        p = (lat, lng)
        while haversine_m(lat, lng, *p) < 250:
            p = (p[0] + bearing_lat * step, p[1] + bearing_lng * step)
        assert min_lat <= p[0] - bearing_lat * step <= max_lat
        assert min_lng <= p[1] - bearing_lng * step <= max_lng


def _candidate(status: str = "dispatched", dlat: float = 0.0, age_days: float = 0, cat="x"):
    return Candidate(
        uuid.uuid4(), cat, status, 31.15 + dlat, 121.19, NOW - timedelta(days=age_days)
    )


def test_the_nearest_open_hazard_of_the_category_is_the_original():
    near, nearer = _candidate(dlat=0.0015), _candidate(dlat=0.0005)
    match = find_original(DuplicatePolicy(), "x", 31.15, 121.19, NOW, [near, nearer])
    assert match is not None and match.case_id == nearer.case_id
    assert match.distance_m == pytest.approx(55.6, abs=0.5)


@pytest.mark.parametrize(
    "candidate",
    [
        _candidate(dlat=0.003),  # about 330 m
        _candidate(status="closed"),
        _candidate(status="resolved"),
        _candidate(status="duplicate"),
        _candidate(age_days=15),
        _candidate(cat="y"),
    ],
)
def test_far_closed_old_or_other_category_hazards_are_not_originals(candidate):
    assert find_original(DuplicatePolicy(), "x", 31.15, 121.19, NOW, [candidate]) is None


def test_the_radius_and_window_are_configurable():
    far = _candidate(dlat=0.003, age_days=20)
    wide = DuplicatePolicy(radius_m=500, window=timedelta(days=30))
    assert find_original(wide, "x", 31.15, 121.19, NOW, [far]) is not None


@pytest.mark.parametrize(
    ("state", "status", "extended"),
    [
        ("filed", "open", "for_triage"),
        ("dispatched", "open", "action_scheduled"),
        ("in_progress", "open", "in_progress"),
        ("reopened", "open", "reopen"),
        ("resolved", "closed", "fixed"),
        ("closed", "closed", "closed"),
        ("duplicate", "closed", "duplicate"),
        ("not_responsible", "open", "not_councils_responsibility"),
    ],
)
def test_dispatch_states_read_as_open311_and_fixmystreet_statuses(state, status, extended):
    assert open311_status(state) == status
    assert extended_status(state) == extended


def test_a_departments_status_becomes_a_dispatch_action():
    assert action_for("IN_PROGRESS", "dispatched") == "acknowledge"
    assert action_for("in_progress", "acknowledged") == "progress"
    assert action_for("FIXED", "in_progress") == "resolve"
    assert action_for("not_councils_responsibility", "dispatched") == "decline"
    assert action_for("party", "dispatched") is None


def test_attributes_are_typed_and_checked_by_their_definition():
    typed = attributes.validate(
        "compound_access",
        {
            "severity": ["danger"],
            "affected": ["riders", "residents", "riders"],
            "observed_at": ["2026-05-01T11:40:00+08:00"],
            "size_m": ["2.5"],
            "compound_name": ["绿苑小区"],
        },
    )
    assert typed["affected"] == ["residents", "riders"]
    assert typed["size_m"] == 2.5
    assert typed["compound_name"] == "绿苑小区"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({}, "attribute[severity]"),
        ({"severity": ["minor", "danger"]}, "attribute[severity]"),
        ({"severity": ["minor"], "affected": ["aliens"]}, "attribute[affected]"),
        ({"severity": ["minor"], "size_m": ["nan"]}, "attribute[size_m]"),
        ({"severity": ["minor"], "landmark": ["x" * 201]}, "attribute[landmark]"),
        ({"severity": ["minor"], "safety_notice": ["hi"]}, "attribute[safety_notice]"),
    ],
)
def test_bad_attribute_values_name_the_attribute(given, field):
    with pytest.raises(InvalidField) as err:
        attributes.validate("road_damage", given)
    assert err.value.field == field


def test_every_service_definition_orders_its_attributes_uniquely():
    for code in ("road_damage", "compound_access", "fire_lane_blocked"):
        orders = [a.order for a in attributes.attributes_of(code)]
        assert len(orders) == len(set(orders)) and min(orders) >= 1


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8", "image/webp"),
        (b"%PDF-1.7", "application/pdf"),
        (b"GIF89a", None),
        (b"<svg", None),
        (b"", None),
    ],
)
def test_files_are_recognised_by_their_first_bytes(head, media_type):
    assert sniff(head) == media_type


def test_api_keys_are_random_and_only_their_digest_is_kept():
    a, b = new_api_key(), new_api_key()
    assert a != b and len(a) > 40
    assert hash_api_key(a) == hash_api_key(a) != hash_api_key(b)
    assert a not in hash_api_key(a)


def test_every_catalogued_event_has_plain_words_in_both_languages():
    assert set(CATALOGUE) == known_types()
    for event_type in CATALOGUE:
        zh, en = describe(event_type, {})
        assert zh != event_type and en != event_type


def test_a_merged_filing_and_a_deadline_read_in_plain_words():
    zh, en = describe("case.filed", {"tracking_code": "ABCD-EFGH", "duplicate_of": "x"})
    assert "并入" in zh and "follows" in en
    zh, en = describe(
        "deadline.warning", {"clock": "mediation_limit", "due_on": "2026-05-15", "days_left": 2}
    )
    assert "调解期限" in zh and "mediation limit" in en


def test_xml_lists_nest_as_the_spec_shows_and_times_carry_the_offset():
    body = xml_bytes(
        "service_definition",
        None,
        {
            "service_code": "x",
            "attributes": [{"code": "a", "required": True, "values": [{"key": "k", "name": "n"}]}],
        },
    )
    top = ET.fromstring(body)
    assert top.find("attributes/attribute/values/value/key").text == "k"
    assert top.find("attributes/attribute/required").text == "true"
    assert when(NOW) == "2026-05-01T11:40:00+08:00"
    assert when(None) is None


def test_an_address_naming_a_town_finds_a_point_inside_it():
    places = JurisdictionMap.from_file()
    found = places.locate_address("上海市青浦区赵巷镇业辉路")
    assert found is not None
    place, lat, lng = found
    assert place.code == "zhaoxiang"
    assert places.locate(lat, lng) == place
    assert places.locate_address("北京市东城区") is None


def test_a_deadline_moved_off_a_holiday_reads_with_the_moved_day_and_why():
    zh, en = describe(
        "deadline.warning",
        {
            "clock": "mediation_limit",
            "due_on": "2026-10-08",
            "days_left": 5,
            "nominal_due_on": "2026-10-01",
            "moved_because": "national_day",
        },
    )
    assert "2026年10月8日 到期" in zh
    assert zh.endswith("；顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）")
    assert en.endswith(
        "; moved to 8 Oct 2026 (the last day, 1 Oct 2026, fell on the National Day holiday)"
    )
    zh, en = describe(
        "deadline.expired",
        {"clock": "judicial_confirmation", "due_on": "2027-01-01", "calendar_missing": True},
    )
    assert "2027年官方节假日安排未载入，暂按周一至周五推算" in zh
    assert "weekend-fallback" not in zh + en
    zh, _en = describe(
        "mediation.extended",
        {
            "new_limit_on": "2026-10-08",
            "nominal_limit_on": "2026-10-01",
            "moved_because": "national_day",
        },
    )
    assert "顺延至2026年10月8日" in zh


def test_an_agreement_whose_agreed_day_is_a_day_off_reads_with_the_moved_day():
    zh, en = describe(
        "agreement.signed",
        {
            "performance_deadline": "2026-05-01",
            "performance_due_on": "2026-05-06",
            "performance_moved_because": "labour_day",
        },
    )
    assert zh.endswith(
        "履行期限 2026年5月1日；顺延至2026年5月6日（原末日2026年5月1日逢劳动节假期）"
    )
    assert "moved to 6 May 2026" in en
