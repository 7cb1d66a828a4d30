"""The mediator's and the committee's steps, from the start of mediation to closure."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from services.mediation.domain.agreement import AgreementTerms, payment_order_eligible
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.dispute import PARTY_WINDOWS, Dispute, aware
from services.mediation.domain.errors import Incomplete, NotAllowed
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import (
    check_non_performance,
    check_performance_recordable,
)
from services.mediation.service_layer import groups
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import PerformanceNotPerformed, PerformancePerformed
from shared.messaging.uow import UnitOfWork


async def _mine(uow: UnitOfWork, case_id: uuid.UUID, actor: Actor) -> Dispute:
    dispute = await load_dispute(uow, case_id)
    dispute.check_mediator(actor)
    return dispute


async def _retarget(uow: UnitOfWork, dispute: Dispute, ctx: Context) -> None:
    """The mediation target, recomputed after a step that may pause or resume it."""
    saved = await disputes_in(uow).state_history(dispute.case_id)
    target = ctx.policy.mediation_target
    dispute.refresh_mediation_target(target, saved, ctx.calendar, ctx.now())


async def start_mediation(
    case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    dispute.start(actor, ctx.now())
    await _retarget(uow, dispute, ctx)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def wait_for_party(
    case_id: uuid.UUID,
    waiting_on: Literal["complainant", "respondent"],
    reason: str,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> Dispute:
    """Mediation waits on a party: internal targets pause; legal clocks keep running."""
    dispute = await _mine(uow, case_id, actor)
    dispute.wait_for_party(waiting_on, reason, actor, ctx.now())
    await _retarget(uow, dispute, ctx)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def resume(
    case_id: uuid.UUID, note: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    dispute.resume(note, actor, ctx.now())
    await _retarget(uow, dispute, ctx)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def extend(
    case_id: uuid.UUID,
    days: int,
    consents: tuple[bool, bool],
    note: str,
    actor: Actor,
    uow: UnitOfWork,
    ctx: Context,
) -> Dispute:
    """Platform-worker disputes: one extension of at most 15 days with both parties' consent."""
    dispute = await _mine(uow, case_id, actor)
    dispute.extend(days, consents, note, actor, ctx.now(), ctx.calendar)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def fail(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    dispute.end_without_agreement("fail", "mediation.failed", reason, actor, ctx.now())
    await settle(uow, dispute)
    await groups.tell_members(uow, dispute, "ended", actor)
    await uow.commit()
    return dispute


async def withdraw(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The complainant withdraws at any time before an agreement (PML 23)."""
    dispute = await load_dispute(uow, case_id)
    dispute.withdraw(reason, actor, ctx.now())
    await settle(uow, dispute)
    await groups.tell_members(uow, dispute, "ended", actor)
    await uow.commit()
    return dispute


async def sign_agreement(
    case_id: uuid.UUID, terms: AgreementTerms, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """Record the agreement once signed by both parties and the mediator and sealed by the body.

    It takes effect then (LDMAL 14): the judicial-confirmation (30 d), arbitration-review
    (15 d) and performance clocks start, and performance is monitored.
    """
    dispute = await _mine(uow, case_id, actor)
    if dispute.group_size:  # one agreement for the group, a line for each member
        groups.check_schedule(
            await groups.members(uow, dispute.case_id), [str(x.case_id) for x in terms.schedule]
        )
    elif terms.schedule:
        raise Incomplete("schedule", "a schedule of members belongs to a group dispute only")
    dispute.sign_agreement(terms, actor, ctx.now(), ctx.calendar)
    await settle(uow, dispute)
    await groups.tell_members(uow, dispute, "agreement_signed", actor)
    await uow.commit()
    return dispute


async def record_application(
    case_id: uuid.UUID, clock: ClockName, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The parties applied for judicial confirmation or arbitration review: the window closes."""
    dispute = await _mine(uow, case_id, actor)
    if clock not in PARTY_WINDOWS:
        raise NotAllowed(f"the {clock.value} clock is not closed by an application")
    if actor.role not in ("mediator", "committee"):
        raise NotAllowed(f"a {actor.role} may not record an application")
    now = ctx.now()
    dispute.stop_clocks((clock,), now)
    dispute.note(f"applied:{clock.value}", actor, now)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


def _check_time_order(dispute: Dispute, performed: bool, now: datetime) -> None:
    """Performance only once the agreement binds; non-performance only once its period ran
    out (the performance clock's last day, which may lie after the agreed date if moved)."""
    effective = aware(dispute.agreement_effective_at) if dispute.agreement_effective_at else None
    check_performance_recordable(effective, now)
    if not performed:
        due = dispute.clock_due_on(ClockName.PERFORMANCE)
        days = [d for d in (due, dispute.performance_deadline) if d is not None]
        check_non_performance(max(days) if days else None, now)


async def record_performance(
    case_id: uuid.UUID, performed: bool, note: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    dispute.check_respondent(actor, "report performance")
    now = ctx.now()
    if dispute.state == State.PERFORMANCE_MONITORING:  # else the step names the state
        _check_time_order(dispute, performed, now)
    if performed:
        dispute.take("record_performed", actor, now, note=note)
        dispute.stop_clocks((ClockName.PERFORMANCE, *PARTY_WINDOWS), now)
        dispute.stop_clocks((ClockName.ARBITRATION_LIMITATION,), now)
        payload: PerformancePerformed | PerformanceNotPerformed = PerformancePerformed(
            state=dispute.state, note=note
        )
        dispute.raise_event("performance.performed", payload, actor)
    else:
        dispute.take("record_non_performance", actor, now, note=note)
        dispute.stop_clocks((ClockName.PERFORMANCE,), now)
        payload = PerformanceNotPerformed(state=dispute.state, note=note)
        dispute.raise_event("performance.not_performed", payload, actor)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def refer_to_arbitration(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The dispute goes to the arbitration commission; LDMAL 16 cases get payment-order help."""
    dispute = await _mine(uow, case_id, actor)
    eligible = dispute.state == State.NON_PERFORMANCE and payment_order_eligible(
        dispute.dispute_type
    )
    dispute.refer_to_arbitration(reason, actor, ctx.now(), payment_order=eligible)
    await settle(uow, dispute)
    await uow.commit()
    return dispute


async def close(case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context) -> Dispute:
    """Close a settled dispute. The limitation clock keeps running for a party without a remedy."""
    dispute = await _mine(uow, case_id, actor)
    dispute.close(actor, ctx.now())
    await settle(uow, dispute)
    await groups.tell_members(uow, dispute, "closed", actor)
    await uow.commit()
    return dispute
