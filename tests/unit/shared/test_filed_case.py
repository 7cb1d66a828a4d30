"""`filed_case`: the one decode of `case.filed` its subscribers share."""

from __future__ import annotations

import uuid

import pytest

from shared.contracts.envelope import Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.contracts.filed import UnreadableFiling, filed_case


def _filed() -> Envelope:
    return new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code="ABCD-EFGH",
            channel="officer",
            title="t",
            description="d",
            parties=[PartyRef(role="reporter", party_id="p-1", display_name="吴师傅")],
            hazard=HazardDetails(category="road_damage", location=GeoPoint(lat=31.1, lng=121.1)),
        ),
        case_id=uuid.uuid4(),
        producer="intake",
    )


def _with(envelope: Envelope, **payload: object) -> Envelope:
    return envelope.model_copy(update={"payload": {**envelope.payload, **payload}})


def test_a_filing_of_the_kind_reads_whole() -> None:
    filed = filed_case(_filed(), "hazard")
    assert filed is not None and filed.hazard is not None
    assert filed.hazard.category == "road_damage"


def test_a_filing_of_another_kind_is_none() -> None:
    assert filed_case(_filed(), "dispute") is None


def test_without_a_kind_any_filing_reads() -> None:
    filed = filed_case(_filed())
    assert filed is not None and filed.kind == "hazard"


def test_a_filing_without_its_kinds_details_is_unreadable() -> None:
    with pytest.raises(UnreadableFiling, match="without hazard details"):
        filed_case(_with(_filed(), hazard=None), "hazard")


def test_a_payload_that_does_not_validate_is_unreadable_and_a_value_error() -> None:
    with pytest.raises(UnreadableFiling, match="case.filed payload") as raised:
        filed_case(_with(_filed(), parties=[]), "hazard")
    assert isinstance(raised.value, ValueError)  # the kit dead-letters it at once
