"""Group disputes (LDMAL 7): ten or more workers with one claim are a parent case with member
cases, and elect representatives who receive the notices and attend the sessions."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.errors import Incomplete, NotAllowed
from services.mediation.service_layer.steps import announce, load, record
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.mediation import GroupLinked
from shared.messaging.uow import UnitOfWork

MAX_REPRESENTATIVES = 5  # LDMAL 7 leaves the number open; the contract allows up to 20


async def announce_member(uow: UnitOfWork, dispute: Dispute, cause: Envelope | None) -> None:
    """A member case filed with a parent: link it and name the parent's representatives."""
    assert dispute.parent_case_id is not None
    parent = await uow.session.get(Dispute, dispute.parent_case_id)
    announce(
        uow,
        dispute,
        "dispute.group_linked",
        GroupLinked(
            parent_case_id=str(dispute.parent_case_id),
            representative_party_ids=list(parent.representatives) if parent else [],
        ),
        SYSTEM,
        cause,
    )


async def members(uow: UnitOfWork, parent_id: uuid.UUID) -> list[Dispute]:
    stmt = (
        select(Dispute).where(Dispute.parent_case_id == parent_id).order_by(col(Dispute.created_at))
    )
    return list((await uow.session.exec(stmt)).all())


async def elect_representatives(
    parent_id: uuid.UUID, party_ids: list[str], actor: Actor, uow: UnitOfWork
) -> Dispute:
    """Record the representatives the members elected; each must be a member's complainant."""
    if actor.role not in ("committee", "mediator"):
        raise NotAllowed(f"a {actor.role} may not record representatives")
    parent = await load(uow, parent_id)
    if actor.role == "mediator" and actor.id != parent.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")
    group = await members(uow, parent_id)
    eligible = {parent.complainant_id, *(m.complainant_id for m in group)}
    if not 1 <= len(party_ids) <= MAX_REPRESENTATIVES:
        raise Incomplete("party_ids", f"elect 1 to {MAX_REPRESENTATIVES} representatives")
    unknown = [p for p in party_ids if p not in eligible]
    if unknown:
        raise Incomplete("party_ids", f"not complainants of this group: {', '.join(unknown)}")
    parent.representatives = list(dict.fromkeys(party_ids))
    record(uow, parent, "elect_representatives", actor, note=",".join(parent.representatives))
    for member in group:
        announce(
            uow,
            member,
            "dispute.group_linked",
            GroupLinked(
                parent_case_id=str(parent_id), representative_party_ids=parent.representatives
            ),
            actor,
        )
    await uow.commit()
    return parent
