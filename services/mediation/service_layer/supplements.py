"""An application completed before acceptance (`dispute.supplemented`): mediation's view follows.

The committee decides on what the application now says: the amount claimed, the respondents
(an extra company counts in the statistics and the pattern checks), the town. Applying the
same supplement twice leaves the same view, and the consumer records each event once.
"""

from __future__ import annotations

from sqlmodel import select

from services.mediation.adapters.tables import Dispute, DisputeCompany
from services.mediation.service_layer.registration import companies_of, company_key
from services.mediation.service_layer.steps import record
from shared.contracts.envelope import Envelope
from shared.contracts.events.intake import DisputeSupplemented
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def apply_supplement(envelope: Envelope, uow: UnitOfWork) -> None:
    """Handler of `dispute.supplemented`: the dispute's view takes what was given."""
    try:
        given = read_payload(envelope, DisputeSupplemented)
    except ValueError as exc:
        raise PermanentError(f"dispute.supplemented payload: {exc}") from exc
    stmt = select(Dispute).where(Dispute.case_id == envelope.case_id).with_for_update()
    dispute = (await uow.session.exec(stmt)).first()
    if dispute is None:  # filed in another deployment, or not a dispute mediation knows
        return
    if given.claim_amount_yuan is not None:
        dispute.claim_amount_yuan = given.claim_amount_yuan
    if given.jurisdiction is not None:
        dispute.town = given.jurisdiction
    if given.respondents:
        before = {c["key"] for c in dispute.companies}
        dispute.respondents = [r.model_dump(mode="json") for r in given.respondents]
        dispute.companies = companies_of(given.respondents)
        dispute.company = given.respondents[0].display_name
        dispute.company_key = company_key(given.respondents[0])
        for company in dispute.companies:
            if company["key"] not in before:
                uow.session.add(
                    DisputeCompany(
                        case_id=dispute.case_id,
                        company_key=company["key"],
                        company=company["name"],
                        dispute_type=dispute.dispute_type,
                        created_at=dispute.created_at,
                    )
                )
    record(
        uow,
        dispute,
        "supplement",
        envelope.actor,
        now=envelope.occurred_at,
        note=f"申请材料已补充：{given.note}",
    )
