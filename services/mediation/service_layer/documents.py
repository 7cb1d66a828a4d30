"""Who may download which copy of the agreement, and what goes into it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.agreement_pdf import AgreementDocument, Copy
from services.mediation.adapters.tables import Dispute, DisputeClock, RosterRecord
from services.mediation.domain.clocks import local_date
from services.mediation.domain.errors import IllegalTransition, NotAllowed, NotFound
from services.mediation.domain.roster import Roster
from shared.contracts.envelope import Actor
from shared.contracts.glossary import term


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


async def body_name(session: AsyncSession, body_id: str | None, roster_file: Roster) -> str:
    """The duty body's name from the roster in force (else the glossary), never its id."""
    if not body_id:
        return ""
    record = await session.get(RosterRecord, 1)
    roster = Roster.model_validate(record.body) if record else roster_file
    named = {b.body_id: b.name for b in roster.bodies}
    return named.get(body_id) or term("body", body_id)


async def _group(
    session: AsyncSession, parent: Dispute, agreement: dict[str, object]
) -> tuple[list[str], list[str], list[tuple[str, float, date]]]:
    """A group's members and representatives by name, and its schedule (LDMAL 7)."""
    stmt = (
        select(Dispute)
        .where(Dispute.parent_case_id == parent.case_id)
        .order_by(col(Dispute.created_at), col(Dispute.case_id))
    )
    children = list((await session.exec(stmt)).all())
    if not children:
        return [], [], []
    name_of = {c.case_id: c.complainant_name or c.complainant_id for c in children}
    party = {c.complainant_id: name_of[c.case_id] for c in children}
    party.setdefault(parent.complainant_id, parent.complainant_name or parent.complainant_id)
    lines = agreement.get("schedule") or []
    assert isinstance(lines, list)
    scheduled = [uuid.UUID(str(line["case_id"])) for line in lines]
    schedule = [
        (name_of.get(case_id, ""), float(line["amount_yuan"]), date.fromisoformat(line["due_on"]))
        for case_id, line in zip(scheduled, lines, strict=True)
    ]
    representatives = [party.get(p, p) for p in parent.representatives]
    # The members in the schedule's order (the agreement's own), any other after them.
    order = [c for c in scheduled if c in name_of] + [c for c in name_of if c not in scheduled]
    return [name_of[c] for c in order], representatives, schedule


async def agreement_document(
    session: AsyncSession,
    case_id: uuid.UUID,
    actor: Actor,
    wanted: Copy | None,
    roster_file: Roster,
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
    members, representatives, schedule = await _group(session, dispute, a)
    doc = AgreementDocument(
        agreement_id=a["agreement_id"],
        tracking_code=dispute.tracking_code,
        complainant=dispute.complainant_name or dispute.complainant_id,
        respondents=[str(r.get("display_name", r["party_id"])) for r in dispute.respondents],
        mediator=dispute.mediator_name or "",
        duty_body=await body_name(session, dispute.duty_body, roster_file),
        facts=a.get("facts", ""),
        terms=a["terms"],
        performance_manner=a["performance_manner"],
        performance_deadline=date.fromisoformat(a["performance_deadline"]),
        effective_on=local_date(datetime.fromisoformat(a["effective_at"])),
        judicial_confirmation_by=due.get("judicial_confirmation"),
        arbitration_review_by=due.get("arbitration_review"),
        members=members,
        representatives=representatives,
        schedule=schedule,
    )
    return doc, copy
