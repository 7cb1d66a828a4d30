"""ID numbers: validated, sealed at rest, found by keyed hash, never in events (SQLite and PG)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag

from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.adapters.tables import Party
from services.intake.config import IntakeSettings
from tests.auth import auth_headers
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration

ID_NUMBER = "11010519491231002X"  # the standard's own example; check digit X
OFFICER = auth_headers("intake_officer", "officer-1")


def _dispute(id_number: str, phone: str = "13811112222") -> dict[str, Any]:
    return {
        "complainant": {"name": "李某", "phone": phone, "id_number": id_number},
        "respondents": [{"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "facts": "10月工资未发放",
    }


async def _post(intake: Intake, path: str, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        kw.setdefault("headers", OFFICER)
        return await client.post(f"{intake.url}{path}", timeout=10, **kw)


async def test_an_id_number_is_stored_sealed_found_by_hash_and_kept_out_of_events(
    intake: Intake,
):
    filed = await _post(intake, "/api/v1/disputes", json=_dispute(ID_NUMBER.lower()))
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]

    async with intake.runtime.sessions() as session:
        party = (
            await session.execute(sa.select(Party).where(Party.role == "complainant"))
        ).scalars()
        row = next(p for p in party if str(p.case_id) == case_id)
    assert row.id_number_enc is not None and ID_NUMBER not in row.id_number_enc
    cipher = PiiCipher(*IntakeSettings().pii_keys())
    assert cipher.decrypt(row.id_number_enc, row.party_id) == ID_NUMBER
    assert row.id_number_hash == cipher.lookup_hash(ID_NUMBER)
    with pytest.raises(InvalidTag):  # sealed to its own party row
        cipher.decrypt(row.id_number_enc, "p-someone-else")

    for event in await intake.outbox(case_id):
        assert ID_NUMBER not in event["body"] and "13811112222" not in event["body"]
        parties = json.loads(event["body"])["payload"].get("parties", [])
        assert all("id_number" not in p for p in parties)

    found = await _post(
        intake, "/api/v1/parties/search", json={"id_number": ID_NUMBER}, headers=OFFICER
    )
    assert found.status_code == 200
    assert any(m["case_id"] == case_id and m["role"] == "complainant" for m in found.json())
    stranger = auth_headers("reporter", "r-1")
    refused = await _post(
        intake, "/api/v1/parties/search", json={"id_number": ID_NUMBER}, headers=stranger
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("id_number", "why"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491331002X", "birth date"),
        ("1101051949123100", "at least 18"),
        ("11010519491231002Y", "17 digits"),
    ],
)
async def test_a_wrong_id_number_is_refused_naming_the_field(
    intake: Intake, id_number: str, why: str
):
    answer = await _post(intake, "/api/v1/disputes", json=_dispute(id_number))
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["field"] == "complainant.id_number"
    assert why in error["message"]


def test_production_refuses_to_start_without_real_pii_keys():
    with pytest.raises(ValueError, match="INTAKE_PII_KEY"):
        IntakeSettings(environment="production")
