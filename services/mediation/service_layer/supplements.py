"""An application completed before acceptance (`dispute.supplemented`): mediation's view follows.

The committee decides on what the application now says: the amount claimed, the respondents
(an extra company counts in the statistics and the pattern checks), the town. Applying the
same supplement twice leaves the same view (`Dispute.supplement`), and the consumer records
each event once.
"""

from __future__ import annotations

from services.mediation.service_layer.registration import companies_of, company_key
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import settle
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
    disputes = disputes_in(uow)
    dispute = await disputes.get(envelope.case_id)
    if dispute is None:  # filed in another deployment, or not a dispute mediation knows
        return
    respondents = given.respondents or []
    first = respondents[0] if respondents else None
    added = dispute.supplement(
        given.note,
        envelope.actor,
        envelope.occurred_at,
        claim_amount_yuan=given.claim_amount_yuan,
        town=given.jurisdiction,
        respondents=[r.model_dump(mode="json") for r in respondents],
        companies=companies_of(respondents),
        company_key=company_key(first) if first is not None else "",
    )
    await disputes.index_companies(dispute, added)
    await settle(uow, dispute, envelope)
