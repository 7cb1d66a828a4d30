"""Intake's case use cases on a fake unit of work, in memory, no I/O:
completing a dispute's application.

The same flows run against PostgreSQL and Redis in tests/integration/test_intake_*.py and
test_open311_conformance.py; these check the use cases' wiring (load, aggregate, save, outbox,
timeline) in milliseconds.
"""

from __future__ import annotations

from services.intake.domain.commands import RespondentIn, SupplementDispute
from services.intake.service_layer import supplements
from tests.unit.intake.case_world import OFFICER, World


async def test_supplementing_seals_the_id_number_and_completes_the_respondents():
    w = World()
    case_id = w.filed(kind="dispute", category="unpaid_wages", latitude=None, longitude=None)
    w.party(case_id, "complainant", "p-1")
    w.party(case_id, "respondent", "org-1", org_code="91310000AAAAAAAA0A")
    cmd = SupplementDispute(
        id_number="11010519491231002X",
        respondents=[
            RespondentIn(name="某公司", org_code="91310000AAAAAAAA0A", email="hr@example.com"),
            RespondentIn(name="另一公司"),
        ],
        note="补充被申请人",
    )
    events = await w.act(supplements.supplement_dispute, case_id, cmd, OFFICER, w.ctx)
    assert events == ["dispute.supplemented"]
    parties = {p.party_id: p for p in await w.repo.parties_of(case_id)}
    assert parties["p-1"].id_number_hash and parties["p-1"].id_number_enc
    assert parties["org-1"].email == "hr@example.com" and len(parties) == 3
    payload = w.uow.outbox[0].payload
    assert [r["display_name"] for r in payload["respondents"]] == ["张三", "另一公司"]
