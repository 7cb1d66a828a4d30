"""Who may download which copy of the agreement, and what goes into it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.agreement_pdf import AgreementDocument, Copy
from services.mediation.adapters.tables import Dispute, DisputeClock
from services.mediation.domain.clocks import local_date
from services.mediation.domain.errors import IllegalTransition, NotAllowed, NotFound
from shared.contracts.envelope import Actor


def allowed_copy(dispute: Dispute, actor: Actor, wanted: Copy | None) -> Copy:
    """Each party gets its own copy; the assigned mediator and the committee get any."""
    if actor.role == "committee" or (actor.role == "mediator" and actor.id == dispute.mediator_id):
        return wanted or "committee"
    own: Copy | None = None
    if actor.role == "complainant" and actor.id == dispute.complainant_id:
        own = "complainant"
    if actor.role == "respondent" and actor.id in {str(r["party_id"]) for r in dispute.respondents}:
        own = "respondent"
    if own is None or wanted not in (None, own):
        raise NotAllowed("a party may download only its own copy of its agreement")
    return own


async def agreement_document(
    session: AsyncSession, case_id: uuid.UUID, actor: Actor, wanted: Copy | None
) -> tuple[AgreementDocument, Copy]:
    dispute = await session.get(Dispute, case_id)
    if dispute is None:
        raise NotFound(str(case_id))
    copy = allowed_copy(dispute, actor, wanted)
    a = dispute.agreement
    if not a:
        raise IllegalTransition("download the agreement of", dispute.state)
    due = {
        row.clock: row.due_on
        for row in (
            await session.exec(select(DisputeClock).where(DisputeClock.case_id == case_id))
        ).all()
    }
    doc = AgreementDocument(
        agreement_id=a["agreement_id"],
        tracking_code=dispute.tracking_code,
        complainant=dispute.complainant_name or dispute.complainant_id,
        respondents=[str(r.get("display_name", r["party_id"])) for r in dispute.respondents],
        mediator=dispute.mediator_name or "",
        duty_body=dispute.duty_body or "",
        facts=a.get("facts", ""),
        terms=a["terms"],
        performance_manner=a["performance_manner"],
        performance_deadline=date.fromisoformat(a["performance_deadline"]),
        effective_on=local_date(datetime.fromisoformat(a["effective_at"])),
        judicial_confirmation_by=due.get("judicial_confirmation"),
        arbitration_review_by=due.get("arbitration_review"),
    )
    return doc, copy
