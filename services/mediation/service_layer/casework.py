"""The mediator's and the committee's steps, from the start of mediation to closure."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.agreement import (
    AgreementTerms,
    check_effective,
    payment_order_eligible,
)
from services.mediation.domain.clocks import (
    ClockName,
    check_extension,
    days_clock,
    local_date,
    performance_clock,
)
from services.mediation.domain.errors import (
    AgainstTheRules,
    IllegalTransition,
    Incomplete,
    NotAllowed,
)
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import (
    check_non_performance,
    check_performance_recordable,
)
from services.mediation.service_layer import groups
from services.mediation.service_layer.clocks import (
    aware,
    clock_due_on,
    refresh_mediation_target,
    start_clock,
    stop_clocks,
)
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.outcomes import MEDIATION_CLOCKS, end_without_agreement
from services.mediation.service_layer.steps import announce, load, record, step
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import (
    AgreementSigned,
    DisputeClosed,
    DisputeWaitingParty,
    MediationExtended,
    MediationStarted,
    PerformanceNotPerformed,
    PerformancePerformed,
    ReferredToArbitration,
)
from shared.messaging.uow import UnitOfWork

PARTY_WINDOWS = (ClockName.JUDICIAL_CONFIRMATION, ClockName.ARBITRATION_REVIEW)


def check_mediator(dispute: Dispute, actor: Actor) -> None:
    if actor.role == "mediator" and actor.id != dispute.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")


async def _mine(uow: UnitOfWork, case_id: uuid.UUID, actor: Actor) -> Dispute:
    dispute = await load(uow, case_id)
    check_mediator(dispute, actor)
    return dispute


async def start_mediation(
    case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    step(uow, dispute, "start", actor, now=ctx.now())
    await refresh_mediation_target(uow, dispute, ctx)
    announce(uow, dispute, "mediation.started", MediationStarted(state=dispute.state), actor)
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
    step(uow, dispute, "wait_for_party", actor, now=ctx.now(), note=f"{waiting_on}: {reason}")
    await refresh_mediation_target(uow, dispute, ctx)
    announce(
        uow,
        dispute,
        "dispute.waiting_party",
        DisputeWaitingParty(state=dispute.state, waiting_on=waiting_on, reason=reason),
        actor,
    )
    await uow.commit()
    return dispute


async def resume(
    case_id: uuid.UUID, note: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    step(uow, dispute, "resume", actor, now=ctx.now(), note=note)
    await refresh_mediation_target(uow, dispute, ctx)
    announce(
        uow, dispute, "mediation.resumed", MediationStarted(state=dispute.state, note=note), actor
    )
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
    if actor.role not in ("mediator", "committee"):
        raise NotAllowed(f"a {actor.role} may not extend the mediation limit")
    if State(dispute.state) not in (State.ASSIGNED, State.IN_MEDIATION, State.WAITING_PARTY):
        raise IllegalTransition("extend", dispute.state)
    if not dispute.platform_worker or dispute.accepted_at is None:
        raise AgainstTheRules("only a platform-worker dispute's mediation limit can be extended")
    check_extension(days, dispute.mediation_extended_days > 0, consents)
    now = ctx.now()
    due = days_clock(ClockName.MEDIATION_LIMIT, dispute.accepted_at, ctx.calendar, extra_days=days)
    await start_clock(uow, dispute, due, now)
    dispute.mediation_extended_days = days
    record(uow, dispute, "extend", actor, now=now, note=f"+{days} days, both consented. {note}")
    announce(
        uow,
        dispute,
        "mediation.extended",
        MediationExtended(
            state=dispute.state,
            new_limit_on=due.due_on,
            consent_recorded=True,
            nominal_limit_on=due.nominal_due_on if due.moved_because else None,
            moved_because=due.moved_because,
            calendar_missing=due.calendar_missing,
        ),
        actor,
    )
    await uow.commit()
    return dispute


async def fail(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    await end_without_agreement(uow, dispute, "fail", "mediation.failed", reason, actor, ctx)
    await uow.commit()
    return dispute


async def withdraw(
    case_id: uuid.UUID, reason: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    """The complainant withdraws at any time before an agreement (PML 23)."""
    dispute = await load(uow, case_id)
    if actor.role == "complainant" and actor.id != dispute.complainant_id:
        raise NotAllowed("only the complainant of this dispute may withdraw it")
    await end_without_agreement(uow, dispute, "withdraw", "dispute.withdrawn", reason, actor, ctx)
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
    now = ctx.now()
    check_effective(terms, local_date(now))
    if dispute.group_size:  # one agreement for the group, a line for each member
        groups.check_schedule(
            await groups.members(uow, dispute.case_id), [str(x.case_id) for x in terms.schedule]
        )
    elif terms.schedule:
        raise Incomplete("schedule", "a schedule of members belongs to a group dispute only")
    step(uow, dispute, "sign_agreement", actor, now=now)
    agreement_id = f"agr-{uuid.uuid4().hex[:12]}"
    dispute.agreement = {
        "agreement_id": agreement_id,
        "effective_at": now.isoformat(),
        **terms.model_dump(mode="json"),
    }
    dispute.performance_deadline = terms.performance_deadline
    dispute.agreement_effective_at = now
    dispute.days_to_agreement = (local_date(now) - local_date(dispute.application_received_at)).days
    step(uow, dispute, "monitor_performance", actor, now=now)
    await stop_clocks(uow, dispute, MEDIATION_CLOCKS, now)
    for clock in PARTY_WINDOWS:
        await start_clock(uow, dispute, days_clock(clock, now, ctx.calendar), now)
    performance = performance_clock(terms.performance_deadline, now, ctx.calendar)
    await start_clock(uow, dispute, performance, now)
    announce(
        uow,
        dispute,
        "agreement.signed",
        AgreementSigned(
            state=dispute.state,
            agreement_id=agreement_id,
            terms=terms.terms,
            performance_deadline=terms.performance_deadline,
            performance_due_on=performance.due_on if performance.moved_because else None,
            performance_moved_because=performance.moved_because,
        ),
        actor,
    )
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
    await stop_clocks(uow, dispute, (clock,), now)
    record(uow, dispute, f"applied:{clock.value}", actor, now=now)
    uow.session.add(dispute)
    await uow.commit()
    return dispute


async def _check_time_order(
    uow: UnitOfWork, dispute: Dispute, performed: bool, now: datetime
) -> None:
    """Performance only once the agreement binds; non-performance only once its period ran
    out (the performance clock's last day, which may lie after the agreed date if moved)."""
    effective = aware(dispute.agreement_effective_at) if dispute.agreement_effective_at else None
    check_performance_recordable(effective, now)
    if not performed:
        due = await clock_due_on(uow, dispute, ClockName.PERFORMANCE)
        days = [d for d in (due, dispute.performance_deadline) if d is not None]
        check_non_performance(max(days) if days else None, now)


async def record_performance(
    case_id: uuid.UUID, performed: bool, note: str, actor: Actor, uow: UnitOfWork, ctx: Context
) -> Dispute:
    dispute = await _mine(uow, case_id, actor)
    if actor.role == "respondent" and actor.id not in {
        str(r["party_id"]) for r in dispute.respondents
    }:
        raise NotAllowed("only a respondent named in this dispute may report performance")
    now = ctx.now()
    if dispute.state == State.PERFORMANCE_MONITORING:  # else the step names the state
        await _check_time_order(uow, dispute, performed, now)
    if performed:
        step(uow, dispute, "record_performed", actor, now=now, note=note)
        await stop_clocks(uow, dispute, (ClockName.PERFORMANCE, *PARTY_WINDOWS), now)
        await stop_clocks(uow, dispute, (ClockName.ARBITRATION_LIMITATION,), now)
        payload: PerformancePerformed | PerformanceNotPerformed = PerformancePerformed(
            state=dispute.state, note=note
        )
        announce(uow, dispute, "performance.performed", payload, actor)
    else:
        step(uow, dispute, "record_non_performance", actor, now=now, note=note)
        await stop_clocks(uow, dispute, (ClockName.PERFORMANCE,), now)
        payload = PerformanceNotPerformed(state=dispute.state, note=note)
        announce(uow, dispute, "performance.not_performed", payload, actor)
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
    now = ctx.now()
    step(uow, dispute, "refer_to_arbitration", actor, now=now, note=reason)
    dispute.referred_at = now
    await stop_clocks(uow, dispute, (ClockName.ARBITRATION_LIMITATION, *PARTY_WINDOWS), now)
    announce(
        uow,
        dispute,
        "dispute.referred_to_arbitration",
        ReferredToArbitration(state=dispute.state, reason=reason, payment_order_eligible=eligible),
        actor,
    )
    await uow.commit()
    return dispute


async def close(case_id: uuid.UUID, actor: Actor, uow: UnitOfWork, ctx: Context) -> Dispute:
    """Close a settled dispute. The limitation clock keeps running for a party without a remedy."""
    dispute = await _mine(uow, case_id, actor)
    outcome = dispute.state
    now = ctx.now()
    step(uow, dispute, "close", actor, now=now)
    dispute.outcome = dispute.outcome or outcome
    await stop_clocks(uow, dispute, (*MEDIATION_CLOCKS, ClockName.PERFORMANCE, *PARTY_WINDOWS), now)
    announce(uow, dispute, "dispute.closed", DisputeClosed(state="closed", outcome=outcome), actor)
    await groups.tell_members(uow, dispute, "closed", actor)
    await uow.commit()
    return dispute
