"""A rider is one party: reports with the same phone (or e-mail) resolve to one party id,
matched by keyed hash, so points add up and show on every tracking page of theirs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from services.intake.adapters.tables import Party
from shared.contracts.events.dispatch import PointsCredited
from tests.auth import OFFICER
from tests.integration.intake_server import Intake
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


async def _report(client: httpx.AsyncClient, key: str, lat: str, **who: str) -> dict[str, Any]:
    posted = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "manhole_cover",
            "lat": lat,
            "long": "121.1947",
            "description": "井盖缺失",
            "attribute[severity]": "danger",
            **who,
        },
    )
    assert posted.status_code == 201, posted.text
    code = posted.json()[0]["service_notice"].split("查询码 ")[1][:9]
    token = posted.json()[0]["token"]
    found = await client.get(f"/open311/v2/tokens/{token}.json")
    case_id = found.json()[0]["service_request_id"]
    case = (await client.get(f"/api/v1/cases/{case_id}", headers=OFFICER)).json()
    party = next(p["party_id"] for p in case["parties"] if p["role"] == "reporter")
    return {"case_id": case_id, "code": code, "party_id": party}


async def test_reports_with_one_phone_are_one_party_whose_points_add_up(intake: Intake):
    key = await intake.api_key("rider-app-identity")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        first = await _report(client, key, "31.1011", phone="13900001111", email="a@x.cn")
        # The same phone typed another way, another e-mail: the same rider.
        second = await _report(client, key, "31.1311", phone="+86 139-0000-1111")
        # Only the e-mail in common: the same rider too.
        third = await _report(client, key, "31.1611", email="A@X.cn")
        stranger = await _report(client, key, "31.1911", phone="13900002222")
        assert first["party_id"] == second["party_id"] == third["party_id"]
        assert stranger["party_id"] != first["party_id"]

        async with intake.runtime.sessions() as session:
            rows = (await session.execute(sa.select(Party.phone_hash, Party.email_hash))).all()
        stored = " ".join(str(v) for row in rows for v in row)
        assert "13900001111" not in stored and "a@x.cn" not in stored.lower()

        party = first["party_id"]
        for case, balance in ((first, 10), (second, 25)):
            await intake.dispatch_says(
                case["case_id"],
                "points.credited",
                PointsCredited(reporter_id=party, points=balance, balance=balance, reason="闭环"),
            )

        async def both_show_25() -> bool:
            pages = [(await client.get(f"/track/{c['code']}")).json() for c in (first, third)]
            return all(p["points"] == 25 for p in pages)

        await eventually_async(both_show_25)
        assert (await client.get(f"/track/{stranger['code']}")).json()["points"] == 0
        page = await client.get(f"/track/{first['code']}?format=html")
        assert "我的贡献积分" in page.text and "<strong>25</strong>" in page.text
