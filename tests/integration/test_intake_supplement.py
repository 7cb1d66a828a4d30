"""补充申请材料 over real HTTP (SQLite and PostgreSQL): an officer completes an application still
awaiting acceptance with filing's fields; one event, one timeline entry; refused once decided."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.adapters.tables import Case, Party
from services.intake.config import IntakeSettings
from tests.auth import OFFICER, auth_headers
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration

ID_NUMBER = "11010519491231002X"
COMPANY = {"name": "沪青出行科技有限公司", "org_code": "91310118HQCX00002A"}


def _app_dispute() -> dict[str, Any]:
    """As the rider app files it: no amount, no respondent e-mail, no station."""
    return {
        "complainant": {"name": "周师傅", "phone": "13822223333"},
        "respondents": [COMPANY],
        "dispute_type": "penalty_deduction",
        "claim": "退还平台扣除的车费",
        "facts": "平台以绕路为由扣除车费。",
        "dispute_arose_on": "2026-11-02",
        "platform_worker": True,
    }


async def _post(intake: Intake, path: str, key: str | None = None, **kw: Any) -> httpx.Response:
    headers = OFFICER | ({"Idempotency-Key": key} if key else {})
    async with httpx.AsyncClient(headers=headers) as client:
        return await client.post(f"{intake.url}{path}", timeout=10, **kw)


async def _supplemented(intake: Intake, case_id: str) -> list[dict[str, Any]]:
    return [
        json.loads(e["body"])
        for e in await intake.outbox(case_id)
        if e["event_type"] == "dispute.supplemented"
    ]


async def test_an_officer_completes_an_application_awaiting_acceptance(intake: Intake):
    filed = (await _post(intake, "/api/v1/disputes", json=_app_dispute())).json()
    case_id, path = filed["case_id"], f"/api/v1/disputes/{filed['case_id']}/supplement"
    body = {
        "claim_amount_yuan": 320,
        "facts": "行程记录显示并未绕路。",
        "id_number": ID_NUMBER.lower(),
        "respondents": [
            COMPANY | {"email": "legal@hqcx.example.com"},  # the one on file: its e-mail
            {"name": "沪青出行上海分公司", "email": "sh@hqcx.example.com"},  # an extra one
        ],
        "latitude": 31.2385,
        "longitude": 121.2178,
        "preferred_station_id": "huaxin-kayou",
        "note": "申请人到驿站补充请求金额与调解地点",
    }
    key = uuid.uuid4().hex
    done = await _post(intake, path, key, json=body)
    assert done.status_code == 200, done.text
    again = await _post(intake, path, key, json=body)  # a double submit acts once
    assert again.status_code == 200

    case = done.json()
    details = case["details"]
    assert details["claim_amount_yuan"] == 320
    assert details["preferred_station_id"] == "huaxin-kayou"
    assert details["latitude"] == 31.2385 and case["jurisdiction"] == "huaxin"
    assert details["claim"] == "退还平台扣除的车费"  # not given: unchanged
    assert details["supplements"][-1]["note"] == body["note"]
    assert case["description"].startswith("平台以绕路为由扣除车费。\n【")
    assert case["description"].endswith("补充】行程记录显示并未绕路。")
    respondents = [p["name"] for p in case["parties"] if p["role"] == "respondent"]
    assert respondents == ["沪青出行科技有限公司", "沪青出行上海分公司"]
    [entry] = [e for e in case["timeline"] if e["event_type"] == "dispute.supplemented"]
    assert "补充了申请材料" in entry["text_zh"] and "请求金额" in entry["text_zh"]
    assert "申请人身份证号" in entry["text_zh"] and ID_NUMBER not in json.dumps(case)

    [event] = await _supplemented(intake, case_id)
    payload = event["payload"]
    assert payload["claim_amount_yuan"] == 320 and payload["jurisdiction"] == "huaxin"
    assert "id_number" in payload["fields"] and ID_NUMBER not in json.dumps(event)
    assert [r["email"] for r in payload["respondents"]] == [
        "legal@hqcx.example.com",
        "sh@hqcx.example.com",
    ]
    assert payload["preferred_station_id"] == "huaxin-kayou"

    async with intake.runtime.sessions() as session:
        rows = (await session.execute(sa.select(Party).where(Party.role == "complainant"))).all()
    [applicant] = [r[0] for r in rows if str(r[0].case_id) == case_id]
    cipher = PiiCipher(*IntakeSettings().pii_keys())
    assert cipher.decrypt(applicant.id_number_enc or "", applicant.party_id) == ID_NUMBER

    async with httpx.AsyncClient(headers=OFFICER) as client:  # as read out: no dash
        code = filed["tracking_code"].replace("-", "").lower()
        by_code = await client.get(f"{intake.url}/api/v1/cases", params={"tracking_code": code})
    assert [c["case_id"] for c in by_code.json()["items"]] == [case_id]


async def test_nothing_to_add_a_stranger_or_a_decided_application_is_refused(intake: Intake):
    filed = (await _post(intake, "/api/v1/disputes", json=_app_dispute())).json()
    case_id, path = filed["case_id"], f"/api/v1/disputes/{filed['case_id']}/supplement"
    empty = await _post(intake, path, json={"note": "无"})
    assert empty.status_code == 422 and "give something" in empty.text
    no_note = await _post(intake, path, json={"claim_amount_yuan": 1})
    assert no_note.status_code == 422 and no_note.json()["errors"][0]["field"] == "note"
    wrong_id = await _post(intake, path, json={"id_number": "110105194912310021", "note": "x"})
    assert wrong_id.status_code == 422 and wrong_id.json()["errors"][0]["field"] == "id_number"
    async with httpx.AsyncClient(headers=auth_headers("committee", "chair")) as client:
        committee = await client.post(
            f"{intake.url}{path}", json={"claim_amount_yuan": 1, "note": "x"}
        )
    assert committee.status_code == 403
    missing = await _post(
        intake, f"/api/v1/disputes/{uuid.uuid4()}/supplement", json={"claim": "x", "note": "x"}
    )
    assert missing.status_code == 404

    async with intake.runtime.sessions() as session:
        await session.execute(
            sa.update(Case).where(Case.id == uuid.UUID(case_id)).values(status="accepted")
        )
        await session.commit()
    decided = await _post(intake, path, json={"claim_amount_yuan": 1, "note": "x"})
    assert decided.status_code == 409
    assert "awaiting acceptance" in decided.json()["detail"]
    assert await _supplemented(intake, case_id) == []
