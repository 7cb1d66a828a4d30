"""Group disputes (LDMAL 7): ten or more workers with one claim are a parent case with member
cases, and elect representatives who receive the notices and attend the sessions.

The parent carries the lifecycle (acceptance, one mediator, sessions, one agreement); each
member case stays `group_member`, holds its worker's own claim and, once agreed, its line of
the agreement's schedule and whether that line was performed. Every member hears what the
group reached through `dispute.group_notice` on their own case."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any, Literal

from sqlmodel import col, func, select

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.clocks import period_end
from services.mediation.domain.dispute import Dispute as Aggregate
from services.mediation.domain.errors import AgainstTheRules, Incomplete, NotAllowed
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import check_non_performance
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import announce, load, record
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.mediation import GroupLinked, GroupNotice, MemberPerformanceRecorded
from shared.messaging.uow import UnitOfWork

MAX_REPRESENTATIVES = 5  # LDMAL 7 leaves the number open; the contract allows up to 20


async def count_members(uow: UnitOfWork, parent_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(Dispute).where(Dispute.parent_case_id == parent_id)
    return int((await uow.session.exec(stmt)).one())


async def register_member(uow: UnitOfWork, dispute: Dispute, cause: Envelope | None) -> None:
    """A member case filed with a parent: it follows the parent, which counts one more worker."""
    assert dispute.parent_case_id is not None
    record(uow, dispute, "join_group", SYSTEM, note=str(dispute.parent_case_id))
    dispute.state = State.GROUP_MEMBER.value
    await uow.session.flush()
    parent = await uow.session.get(Dispute, dispute.parent_case_id, with_for_update=True)
    if parent is not None:  # else the parent counts its members when it registers
        parent.group_size = await count_members(uow, parent.case_id)
        parent.title = counted_title(parent.title, parent.group_size)
        uow.session.add(parent)
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


def counted_title(title: str, size: int) -> str:
    """Intake titles a group "集体争议（12人）…": a member who joins later counts too."""
    if not size:
        return title
    return re.sub(r"^集体争议（\d+人）", f"集体争议（{size}人）", title)[:200]


async def members(uow: UnitOfWork, parent_id: uuid.UUID) -> list[Dispute]:
    stmt = (
        select(Dispute)
        .where(Dispute.parent_case_id == parent_id)
        .order_by(col(Dispute.created_at), col(Dispute.case_id))
    )
    return list((await uow.session.exec(stmt)).all())


def require_group(dispute: Dispute) -> None:
    if not dispute.group_size:
        raise AgainstTheRules("not a group dispute: it has no member cases")


async def elect_representatives(
    parent_id: uuid.UUID, party_ids: list[str], actor: Actor, uow: UnitOfWork
) -> Dispute:
    """Record the representatives the members elected; each must be a member's complainant."""
    if actor.role not in ("committee", "mediator"):
        raise NotAllowed(f"a {actor.role} may not record representatives")
    parent = await load(uow, parent_id)
    if actor.role == "mediator" and actor.id != parent.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")
    require_group(parent)
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
    parent: Dispute | Aggregate,
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
        announce(
            uow,
            member,
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

    Time order as for a whole agreement: not performed only once the member's own period ran
    out (its line's date, or the agreement's, moved off a rest day or holiday)."""
    parent = await load(uow, parent_id)
    if actor.role == "mediator" and actor.id != parent.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")
    if actor.role == "respondent" and actor.id not in {
        str(r["party_id"]) for r in parent.respondents
    }:
        raise NotAllowed("only a respondent named in this dispute may report performance")
    if actor.role not in ("mediator", "committee", "respondent"):
        raise NotAllowed(f"a {actor.role} may not record performance")
    require_group(parent)
    if parent.state != State.PERFORMANCE_MONITORING.value:
        raise AgainstTheRules(f"the group's agreement is not being performed ({parent.state})")
    member = await load(uow, member_id)
    if member.parent_case_id != parent.case_id:
        raise Incomplete("member_case_id", "not a member of this group")
    line: dict[str, Any] = next(
        (
            entry
            for entry in (parent.agreement or {}).get("schedule", [])
            if str(entry["case_id"]) == str(member_id)
        ),
        {},
    )
    if not performed:
        own = date.fromisoformat(str(line["due_on"])) if line.get("due_on") else None
        last = own or parent.performance_deadline
        check_non_performance(period_end(last, ctx.calendar).due_on if last else None, ctx.now())
    member.outcome = "performed" if performed else "non_performance"
    record(
        uow, member, "record_performed" if performed else "record_non_performance", actor, note=note
    )
    announce(
        uow,
        member,
        "dispute.member_performance",
        MemberPerformanceRecorded(
            parent_case_id=str(parent_id),
            performed=performed,
            amount_yuan=line.get("amount_yuan"),
            note=note,
        ),
        actor,
    )
    await uow.commit()
    return parent
