"""Group disputes (LDMAL 7): ten or more workers with one claim are a parent case with member
cases, and elect representatives who receive the notices and attend the sessions.

The parent carries the lifecycle (acceptance, one mediator, sessions, one agreement); each
member case stays `group_member`, holds its worker's own claim and, once agreed, its line of
the agreement's schedule and whether that line was performed. Every member hears what the
group reached through `dispute.group_notice` on their own case.

The steps on a dispute are the Dispute aggregate's (domain/dispute_parties.py): joining,
counting, electing, a member's line; this loads and saves them and tells each member."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from services.mediation.domain.dispute import Dispute
from services.mediation.domain.errors import Incomplete, NotAllowed
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import emit_case_event, load_dispute, settle
from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.mediation import GroupLinked, GroupNotice
from shared.messaging.uow import UnitOfWork


async def count_members(uow: UnitOfWork, parent_id: uuid.UUID) -> int:
    return await disputes_in(uow).count_members(parent_id)


async def register_member(
    uow: UnitOfWork, ctx: Context, case_id: uuid.UUID, cause: Envelope | None = None
) -> None:
    """A member case filed with a parent: it follows the parent, which counts one more worker."""
    disputes = disputes_in(uow)
    member = await load_dispute(uow, case_id)
    assert member.parent_case_id is not None
    parent = await disputes.get(member.parent_case_id)
    # Without its parent yet, the parent counts its members when it registers.
    member.join_group(parent.representatives if parent else [], ctx.now())
    await settle(uow, member, cause)
    if parent is not None:
        parent.count_members(await disputes.count_members(parent.case_id))
        await settle(uow, parent)


async def members(uow: UnitOfWork, parent_id: uuid.UUID) -> list[Dispute]:
    """A group's member cases in the order they joined (read, not locked)."""
    return await disputes_in(uow).members(parent_id)


async def elect_representatives(
    parent_id: uuid.UUID, party_ids: list[str], actor: Actor, uow: UnitOfWork
) -> Dispute:
    """Record the representatives the members elected; each member hears who they are."""
    if actor.role not in ("committee", "mediator"):
        raise NotAllowed(f"a {actor.role} may not record representatives")
    parent = await load_dispute(uow, parent_id)
    group = await disputes_in(uow).members(parent_id)
    eligible = {parent.complainant_id, *(m.complainant_id for m in group)}
    parent.elect_representatives(party_ids, eligible, actor, uow.now())
    await settle(uow, parent)
    for member in group:
        emit_case_event(
            uow,
            member.case_id,
            "dispute.group_linked",
            GroupLinked(
                parent_case_id=str(parent_id), representative_party_ids=parent.representatives
            ),
            actor,
        )
    await uow.commit()
    return parent


def check_schedule(group: list[Dispute], given: list[str]) -> None:
    """A group agreement names each member's amount and payment date, every member once."""
    wanted = {str(m.case_id) for m in group}
    if len(given) != len(set(given)):
        raise Incomplete("schedule", "a member appears twice in the schedule")
    missing, strangers = wanted - set(given), set(given) - wanted
    if strangers:
        raise Incomplete("schedule", f"not members of this group: {', '.join(sorted(strangers))}")
    if missing:
        raise Incomplete("schedule", f"{len(missing)} members have no line in the schedule")


Stage = Literal["accepted", "agreement_signed", "ended", "closed"]


async def tell_members(
    uow: UnitOfWork,
    parent: Dispute,
    stage: Stage,
    actor: Actor,
    cause: Envelope | None = None,
) -> None:
    """Every member hears what the group reached, with their own line of the schedule."""
    if not parent.group_size:
        return
    lines = {str(line["case_id"]): line for line in (parent.agreement or {}).get("schedule", [])}
    for member in await members(uow, parent.case_id):
        line = lines.get(str(member.case_id), {}) if stage == "agreement_signed" else {}
        emit_case_event(
            uow,
            member.case_id,
            "dispute.group_notice",
            GroupNotice(
                parent_case_id=str(parent.case_id),
                stage=stage,
                state=parent.state,
                amount_yuan=line.get("amount_yuan"),
                due_on=date.fromisoformat(line["due_on"]) if line.get("due_on") else None,
            ),
            actor,
            cause,
        )


async def record_member_performance(
    parent_id: uuid.UUID,
    member_id: uuid.UUID,
    performed: bool,
    note: str,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> Dispute:
    """One member's line of the group agreement was performed, or not; answers the group.

    Time order as for a whole agreement (`Dispute.record_line_performance`)."""
    parent = await load_dispute(uow, parent_id)
    parent.check_member_report(actor)
    member = await load_dispute(uow, member_id)
    member.record_line_performance(parent, performed, note, actor, ctx.now(), ctx.calendar)
    await settle(uow, member)
    await uow.commit()
    return parent
