"""A dispute may name where a session can be held (J13): a station's id, or nothing."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.intake.domain.commands import FileDispute

BASE = {
    "complainant": {"name": "周师傅"},
    "respondents": [{"name": "沪青出行科技有限公司"}],
    "dispute_type": "penalty_deduction",
    "claim": "退还车费",
    "facts": "平台扣除车费",
}


def test_a_station_id_is_taken_and_none_is_the_default():
    assert FileDispute(**BASE).preferred_station_id is None
    chosen = FileDispute(**BASE, preferred_station_id="huaxin-kayou")
    assert chosen.preferred_station_id == "huaxin-kayou"


@pytest.mark.parametrize("bad", ["华新镇卡友驿站", "Huaxin Kayou", "x" * 65, "-kayou"])
def test_anything_else_is_refused_by_field(bad: str):
    with pytest.raises(ValidationError) as refused:
        FileDispute(**BASE, preferred_station_id=bad)
    assert refused.value.errors()[0]["loc"] == ("preferred_station_id",)
