"""An application supplemented before acceptance (`dispute.supplemented`), on a real database:
the applicant is told in Chinese; a respondent's new e-mail and an extra respondent are
remembered, so the notices that follow (the acceptance) reach them; applying it twice is once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from services.notify.adapters.tables import Contact
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import DisputeSupplemented
from shared.contracts.events.mediation import DisputeAccepted
from tests.integration.notify_harness import NotifyUnderTest, dispute_filed, event

pytestmark = pytest.mark.integration


@pytest.fixture
async def notify(database_url: str, redis_url: str) -> AsyncIterator[NotifyUnderTest]:
    sut = await NotifyUnderTest(database_url, redis_url).start()
    try:
        yield sut
    finally:
        await sut.stop()


async def test_the_applicant_hears_it_and_the_respondents_new_contacts_are_served(
    notify: NotifyUnderTest,
):
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    respondents = [
        PartyRef(
            role="respondent",
            party_id=f"r-{case_id.hex[:8]}",
            display_name="沪青劳务外包有限公司",
            email="legal@hqlw.example.com",
        ),
        PartyRef(
            role="respondent",
            party_id="org-extra",
            display_name="沪青劳务青浦分公司",
            email="qp@hqlw.example.com",
        ),
    ]
    supplemented = event(
        "dispute.supplemented",
        DisputeSupplemented(
            fields=["claim_amount_yuan", "respondents", "id_number"],
            note="补充金额与被申请人邮箱",
            claim_amount_yuan=320,
            respondents=respondents,
        ),
        case_id,
    )
    assert await notify.apply(supplemented)
    await notify.apply(supplemented)  # a redelivery: told once
    told = await notify.deliveries(event_type="dispute.supplemented", channel="inapp")
    [notice] = told
    assert notice.party_role == "complainant"
    assert notice.subject == "【青浦驿站】您的申请材料已补充"
    assert "请求金额、被申请人信息、身份证号" in notice.body and "320.00 元" in notice.body
    assert "id_number" not in notice.body and "claim_amount_yuan" not in notice.body

    await notify.apply(event("dispute.accepted", DisputeAccepted(state="accepted"), case_id))
    accepted = await notify.deliveries(event_type="dispute.accepted", channel="inapp")
    served = sorted(d.party_id for d in accepted if d.party_role == "respondent")
    assert served == sorted(["org-extra", f"r-{case_id.hex[:8]}"])
    async with notify.sessions() as session:
        stmt = select(Contact).where(Contact.case_id == case_id, Contact.role == "respondent")
        contacts = (await session.exec(stmt)).all()
    assert sorted(str(c.email) for c in contacts) == [
        "legal@hqlw.example.com",
        "qp@hqlw.example.com",
    ]
