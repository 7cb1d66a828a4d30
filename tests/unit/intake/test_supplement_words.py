"""补充申请材料, as a person reads it: the command takes only what is given and refuses nothing to
add; the timeline names what was added in words, never a value (an ID number) or a code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.console.entrypoints.officer_pages import supplement_body
from services.intake.domain.commands import SupplementDispute
from services.intake.domain.timeline import describe


def test_only_what_is_given_is_supplemented_and_something_must_be():
    cmd = SupplementDispute(claim_amount_yuan=320, latitude=31.2, longitude=121.2, note="到站补充")
    assert cmd.given() == ["claim_amount_yuan", "latitude"]
    with pytest.raises(ValidationError, match="give something to supplement"):
        SupplementDispute(note="到站补充")
    with pytest.raises(ValidationError, match="go together"):
        SupplementDispute(latitude=31.2, note="x")
    with pytest.raises(ValidationError):
        SupplementDispute(claim_amount_yuan=1, note="")


def test_the_timeline_names_what_was_added_in_chinese():
    zh, en = describe(
        "dispute.supplemented",
        {"fields": ["claim_amount_yuan", "id_number", "preferred_station_id"], "note": "x"},
    )
    assert zh == "工作人员补充了申请材料：请求金额、申请人身份证号、希望的调解地点"
    assert "preferred_station_id" not in zh + en and "the amount claimed" in en


def test_the_console_form_sends_only_the_fields_filled_in():
    form = {
        "claim_amount_yuan": "320",
        "claim": " ",
        "respondents.0.name": "沪青出行科技有限公司",
        "respondents.0.email": "legal@example.com",
        "preferred_station_id": "huaxin-kayou",
        "note": "补充金额",
        "form_key": "k",
    }
    assert supplement_body(form) == {
        "claim_amount_yuan": "320",
        "preferred_station_id": "huaxin-kayou",
        "respondents": [
            {"name": "沪青出行科技有限公司", "org_code": None, "email": "legal@example.com"}
        ],
        "note": "补充金额",
    }
