import uuid

import pytest
from pydantic import ValidationError

from shared.contracts import CATALOGUE, Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.contracts.events.mediation import DisputeClosed
from shared.contracts.streams import SUBSCRIPTIONS, all_group_pairs, groups_reading


def _hazard_filed() -> CaseFiled:
    return CaseFiled(
        kind="hazard",
        tracking_code="ABCD-EFGH",
        channel="officer",
        title="t",
        description="d",
        parties=[PartyRef(role="reporter", party_id="p-1", display_name="吴师傅")],
        hazard=HazardDetails(category="road_damage", location=GeoPoint(lat=31.1, lng=121.1)),
    )


def test_new_event_fills_the_envelope_from_the_catalogue():
    case_id = uuid.uuid4()
    event = new_event("case.filed", _hazard_filed(), case_id=case_id, producer="intake")
    assert event.schema_version == CATALOGUE["case.filed"].version
    assert event.correlation_id == case_id
    assert event.occurred_at.tzinfo is not None
    assert event.payload["hazard"]["location"] == {"lat": 31.1, "lng": 121.1}


def test_a_service_cannot_emit_another_services_event():
    with pytest.raises(ValueError, match="produced by mediation"):
        new_event(
            "dispute.closed",
            DisputeClosed(state="closed", outcome="x"),
            case_id=uuid.uuid4(),
            producer="intake",
        )


def test_the_payload_must_match_the_event_type():
    with pytest.raises(TypeError):
        new_event("dispute.closed", _hazard_filed(), case_id=uuid.uuid4(), producer="mediation")


def test_producers_reject_unknown_payload_fields():
    with pytest.raises(ValidationError):
        DisputeClosed(state="closed", outcome="x", surprise=1)  # type: ignore[call-arg]


def test_consumers_ignore_unknown_envelope_fields():
    event = new_event("case.filed", _hazard_filed(), case_id=uuid.uuid4(), producer="intake")
    data = event.model_dump(mode="json") | {"added_in_v2": "ignored"}
    assert Envelope.model_validate(data).event_id == event.event_id


def test_an_envelope_needs_a_timezone():
    event = new_event("case.filed", _hazard_filed(), case_id=uuid.uuid4(), producer="intake")
    data = event.model_dump(mode="json")
    data["occurred_at"] = "2026-11-30T10:00:00"
    with pytest.raises(ValidationError, match="occurred_at"):
        Envelope.model_validate(data)


def test_every_catalogued_producer_is_a_service_with_a_stream():
    assert {spec.producer for spec in CATALOGUE.values()} <= set(SUBSCRIPTIONS)


def test_the_topology_has_one_group_per_consuming_service():
    assert sorted(groups_reading("intake")) == ["dispatch", "mediation", "notify"]
    assert ("waystation.notify", "intake") in all_group_pairs()


def test_an_event_caused_by_another_joins_its_story():
    first = new_event("case.filed", _hazard_filed(), case_id=uuid.uuid4(), producer="intake")
    later = new_event(
        "dispute.closed",
        DisputeClosed(state="closed", outcome="x"),
        case_id=first.case_id,
        producer="mediation",
        cause=first,
    )
    assert later.correlation_id == first.correlation_id
    assert later.causation_id == first.event_id
