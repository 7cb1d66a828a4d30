"""An application supplemented before acceptance reaches mediation (`dispute.supplemented`):
the committee decides on the amount and the respondents it now names; applied once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from services.mediation.adapters.tables import DisputeCompany
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import DisputeSupplemented
from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import COMMITTEE, HQLW, Mediation, running_mediation

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 3, 4, 40, tzinfo=UTC)


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(NOW)) as service:
        yield service


async def test_the_view_takes_the_amount_and_the_respondents_once(mediation: Mediation):
    case_id, filed = await mediation.file(platform_worker=True)
    known = next(p for p in filed.payload["parties"] if p["role"] == "respondent")
    respondents = [
        PartyRef.model_validate(known | {"email": "legal@hqlw.example.com"}),
        PartyRef(role="respondent", party_id="org-extra", display_name="沪青劳务青浦分公司"),
    ]
    supplemented = new_event(
        "dispute.supplemented",
        DisputeSupplemented(
            fields=["claim_amount_yuan", "respondents"],
            note="补充金额与被申请人",
            claim_amount_yuan=320,
            respondents=respondents,
            jurisdiction="huaxin",
        ),
        case_id=case_id,
        actor=Actor(role="intake_officer", id="officer-1"),
        producer="intake",
        occurred_at=NOW,
    )
    assert await mediation.runtime.consumer.apply(supplemented)
    assert not await mediation.runtime.consumer.apply(supplemented)  # a redelivery: nothing

    dispute = await mediation.get(case_id)
    assert dispute["claim_amount_yuan"] == 320
    assert [r["display_name"] for r in dispute["respondents"]] == [
        "沪青劳务外包有限公司",
        "沪青劳务青浦分公司",
    ]
    assert dispute["respondents"][0]["email"] == "legal@hqlw.example.com"
    assert dispute["state"] == "acceptance_review"  # still the committee's to decide
    async with mediation.runtime.sessions() as session:
        stmt = select(DisputeCompany).where(DisputeCompany.case_id == case_id)
        keys = sorted(c.company_key for c in (await session.exec(stmt)).all())
    assert keys == sorted([f"org:{HQLW}", "name:沪青劳务青浦分公司"])
    accepted = await mediation.post(case_id, "accept", COMMITTEE)
    assert accepted.status_code == 200, accepted.text
