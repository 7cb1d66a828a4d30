"""Intake files a group dispute over real HTTP (LDMAL 7): a parent with its elected
representatives, a member case per worker with their own claim, amount and ID number (sealed,
never in an event), members added later; and a dispute's town from an address or a map pick."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from services.intake.domain.identity import check_digit
from tests.auth import OFFICER
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration


def id_number(n: int) -> str:
    first17 = f"31011819900101{n:03d}"
    return first17 + check_digit(first17)


def member(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"快递员{n:03d}",
        "phone": f"1390000{n:04d}",
        "id_number": id_number(n),
        "claim_amount_yuan": 2000 + n,
        "representative": n < 3,
    } | extra


def group(size: int, **extra: Any) -> dict[str, Any]:
    return {
        "members": [member(n) for n in range(size)],
        "respondents": [
            {"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"},
            {"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"},
        ],
        "dispute_type": "overtime_pay",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付十月加班费",
        "facts": "华新镇某快递站十二名快递员十月加班费未发放",
        "workplace_address": "上海市青浦区华新镇华腾路1288号",
    } | extra


async def _post(intake: Intake, path: str, body: Any) -> httpx.Response:
    async with httpx.AsyncClient(headers=OFFICER) as client:
        return await client.post(f"{intake.url}{path}", json=body)


async def _filed(intake: Intake, case_id: str) -> dict[str, Any]:
    for e in await intake.outbox(case_id):
        if e["event_type"] == "case.filed":
            return json.loads(e["body"])  # type: ignore[no-any-return]
    raise AssertionError(f"no case.filed for {case_id}")


async def test_a_group_of_twelve_is_one_parent_with_twelve_member_cases(intake: Intake):
    response = await _post(intake, "/api/v1/disputes", group(12))
    assert response.status_code == 201, response.text
    filed = response.json()
    assert filed["jurisdiction"] == "huaxin"  # from the workplace address
    assert len(filed["members"]) == 12
    assert len({m["tracking_code"] for m in filed["members"]}) == 12
    parent = await _filed(intake, filed["case_id"])
    group_details = parent["payload"]["dispute"]["group"]
    assert group_details["member_count"] == 12
    assert len(group_details["representative_party_ids"]) == 3
    complainants = [p for p in parent["payload"]["parties"] if p["role"] == "complainant"]
    assert [p["party_id"] for p in complainants] == group_details["representative_party_ids"]
    events = await intake.outbox()
    order = [e["case_id"] for e in events if e["event_type"] == "case.filed"]
    assert order.index(filed["case_id"]) < order.index(filed["members"][0]["case_id"])
    one = await _filed(intake, filed["members"][7]["case_id"])
    assert one["payload"]["parent_case_id"] == filed["case_id"]
    assert one["payload"]["dispute"]["claim_amount_yuan"] == 2007
    assert one["payload"]["parties"][0]["phone_masked"] == "139****0007"
    everything = json.dumps([e["body"] for e in events], ensure_ascii=False)
    assert id_number(7) not in everything and "13900000007" not in everything


async def test_members_join_later_once_each(intake: Intake):
    filed = (await _post(intake, "/api/v1/disputes", group(12))).json()
    later = await _post(
        intake,
        f"/api/v1/disputes/{filed['case_id']}/members",
        {"members": [member(12, representative=False)]},
    )
    assert later.status_code == 201, later.text
    joined = await _filed(intake, later.json()[0]["case_id"])
    assert joined["payload"]["parent_case_id"] == filed["case_id"]
    async with httpx.AsyncClient(headers=OFFICER) as client:
        parent = (await client.get(f"{intake.url}/api/v1/cases/{filed['case_id']}")).json()
    assert parent["title"].startswith("集体争议（13人）")  # the thirteenth counts too
    assert parent["details"]["group"]["member_count"] == 13
    again = await _post(
        intake,
        f"/api/v1/disputes/{filed['case_id']}/members",
        {"members": [member(12, representative=False)]},
    )
    assert again.status_code == 422 and "members" in again.text
    lone = await _post(
        intake,
        "/api/v1/disputes",
        {
            "complainant": {"name": "李某", "phone": "13811112222"},
            **{k: v for k, v in group(0).items() if k not in ("members",)},
        },
    )
    assert lone.status_code == 201, lone.text
    refused = await _post(
        intake, f"/api/v1/disputes/{lone.json()['case_id']}/members", {"members": [member(40)]}
    )
    assert refused.status_code in (409, 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"members": [member(0, representative=False), member(1, representative=False)]},
            "representatives",
        ),
        ({"members": [member(0), member(1, id_number=id_number(0))]}, "ID number"),
        ({"complainant": {"name": "李某"}}, "either a complainant or the members"),
        ({"members": [member(0)]}, "members"),
    ],
)
async def test_a_wrong_group_is_refused_naming_why_and_nothing_is_stored(
    intake: Intake, change: dict[str, Any], field: str
):
    before = len(await intake.outbox())
    response = await _post(intake, "/api/v1/disputes", group(2) | change)
    assert response.status_code == 422
    assert field in response.text
    assert len(await intake.outbox()) == before


async def test_two_hundred_members_are_filed_at_once(intake: Intake):
    response = await _post(intake, "/api/v1/disputes", group(200))
    assert response.status_code == 201, response.text
    assert len(response.json()["members"]) == 200


async def test_a_lone_dispute_takes_its_town_from_a_map_pick(intake: Intake):
    body = {k: v for k, v in group(0).items() if k not in ("members", "workplace_address")}
    body["complainant"] = {"name": "李某", "phone": "13811112222"}
    picked = await _post(
        intake, "/api/v1/disputes", body | {"latitude": 31.16, "longitude": 121.19}
    )
    assert picked.json()["jurisdiction"] == "zhaoxiang"
    unknown = await _post(intake, "/api/v1/disputes", body | {"workplace_address": "某地某路"})
    assert unknown.status_code == 201 and unknown.json()["jurisdiction"] is None
