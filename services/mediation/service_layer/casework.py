"""The mediator's and the committee's steps: start, agreement, performance, close."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.agreement import AgreementTerms, check_effective
from services.mediation.domain.errors import NotAllowed
from services.mediation.service_layer.steps import announce, load, step
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import (
    AgreementSigned,
    DisputeClosed,
    PerformanceNotPerformed,
    PerformancePerformed,
)
from shared.messaging.uow import UnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _check_mediator(dispute: Dispute, actor: Actor) -> None:
    if actor.role == "mediator" and actor.id != dispute.mediator_id:
        raise NotAllowed("only the assigned mediator may act on this dispute")


async def start_mediation(case_id: uuid.UUID, actor: Actor, uow: UnitOfWork) -> Dispute:
    dispute = await load(uow, case_id)
    _check_mediator(dispute, actor)
    step(uow, dispute, "start", actor)
    await uow.commit()
    return dispute


async def sign_agreement(
    case_id: uuid.UUID,
    terms: AgreementTerms,
    actor: Actor,
    uow: UnitOfWork,
    now: Callable[[], datetime],
) -> Dispute:
    """Record an agreement that has taken effect, then watch its performance."""
    dispute = await load(uow, case_id)
    _check_mediator(dispute, actor)
    at = now()
    check_effective(terms, at.astimezone(SHANGHAI).date())
    step(uow, dispute, "sign_agreement", actor, now=at)
    agreement_id = f"agr-{uuid.uuid4().hex[:12]}"
    dispute.agreement = {"agreement_id": agreement_id, **terms.model_dump(mode="json")}
    dispute.performance_deadline = terms.performance_deadline
    announce(
        uow,
        dispute,
        "agreement.signed",
        AgreementSigned(
            state=dispute.state,
            agreement_id=agreement_id,
            terms=terms.terms,
            performance_deadline=terms.performance_deadline,
        ),
        actor,
    )
    step(uow, dispute, "monitor_performance", actor, now=at)
    await uow.commit()
    return dispute


async def record_performance(
    case_id: uuid.UUID, performed: bool, note: str, actor: Actor, uow: UnitOfWork
) -> Dispute:
    dispute = await load(uow, case_id)
    _check_mediator(dispute, actor)
    if performed:
        step(uow, dispute, "record_performed", actor, note=note)
        announce(
            uow,
            dispute,
            "performance.performed",
            PerformancePerformed(state=dispute.state, note=note),
            actor,
        )
    else:
        step(uow, dispute, "record_non_performance", actor, note=note)
        announce(
            uow,
            dispute,
            "performance.not_performed",
            PerformanceNotPerformed(state=dispute.state, note=note),
            actor,
        )
    await uow.commit()
    return dispute


async def close(case_id: uuid.UUID, actor: Actor, uow: UnitOfWork) -> Dispute:
    dispute = await load(uow, case_id)
    _check_mediator(dispute, actor)
    outcome = dispute.state
    step(uow, dispute, "close", actor)
    announce(uow, dispute, "dispute.closed", DisputeClosed(state="closed", outcome=outcome), actor)
    await uow.commit()
    return dispute
