"""A group application's rules, before anything is stored (LDMAL 7)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.domain.commands import AddMembers, FileDispute
from services.intake.domain.identity import check_digit


def _id(n: int) -> str:
    first17 = f"31011819900101{n:03d}"
    return first17 + check_digit(first17)


def _group(members: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "members": members,
        "respondents": [{"name": "沪青劳务外包有限公司"}],
        "dispute_type": "overtime_pay",
        "claim": "支付加班费",
        "facts": "加班费未发放",
    } | extra


def _m(n: int, rep: bool = False) -> dict[str, Any]:
    return {"name": f"成员{n}", "id_number": _id(n), "claim_amount_yuan": n, "representative": rep}


def test_a_group_of_two_hundred_with_three_representatives_is_one_application():
    cmd = FileDispute.model_validate(_group([_m(n, n < 3) for n in range(200)]))
    assert cmd.members is not None and len(cmd.members) == 200
    assert cmd.applicant.name == "成员0"


@pytest.mark.parametrize(
    ("members", "extra", "reason"),
    [
        ([_m(0), _m(1)], {}, "elect 1 to 5 representatives"),
        ([_m(n, True) for n in range(6)], {}, "elect 1 to 5 representatives"),
        ([_m(0, True), _m(0)], {}, "ID number given twice"),
        ([_m(0, True), _m(1)], {"complainant": {"name": "李某"}}, "either a complainant"),
        ([_m(0, True)], {}, "at least 2"),
    ],
)
def test_a_wrong_group_is_refused_with_its_reason(
    members: list[dict[str, Any]], extra: dict[str, Any], reason: str
):
    with pytest.raises(ValidationError, match=reason):
        FileDispute.model_validate(_group(members, **extra))


def test_members_who_join_later_are_not_new_representatives():
    with pytest.raises(ValidationError, match="elected at filing"):
        AddMembers.model_validate({"members": [_m(5, True)]})
    assert len(AddMembers.model_validate({"members": [_m(5)]}).members) == 1
