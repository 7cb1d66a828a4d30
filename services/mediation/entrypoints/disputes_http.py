"""A dispute and its steps, for the parties, the mediators and the committee: one route per
step, each answering with the dispute as the caller now sees it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException

from services.mediation.entrypoints.dependencies import ActorDep, RuntimeDep
from services.mediation.entrypoints.errors import ERRORS
from services.mediation.entrypoints.schemas import (
    DisputePublic,
    ExtendIn,
    NoteIn,
    OptionalReasonIn,
    ReasonIn,
    ReassignIn,
    WaitIn,
)
from services.mediation.entrypoints.use_cases import StepsDep
from services.mediation.service_layer import acceptance, assignment, casework, views
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/disputes", tags=["disputes"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


@router.get("/{case_id}", response_model=DisputePublic, responses=ERRORS)
async def get_dispute(
    case_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep, steps: StepsDep
) -> DisputePublic:
    """One dispute with its state history, its clocks and its sessions (its parties only)."""
    async with runtime.sessions() as session:
        allowed = await views.may_see_dispute(session, case_id, actor)
    if allowed is False:
        raise HTTPException(403, "you may not see this dispute")
    return await steps.show(case_id)


@router.post("/{case_id}/accept", response_model=DisputePublic, responses=ERRORS)
async def accept(case_id: uuid.UUID, actor: ActorDep, steps: StepsDep) -> DisputePublic:
    """The committee accepts the dispute; the roster assigns a mediator at once."""
    return await steps.run(lambda uow: acceptance.accept_dispute(case_id, actor, uow, steps.ctx))


@router.post("/{case_id}/reject", response_model=DisputePublic, responses=ERRORS)
async def reject(
    case_id: uuid.UUID, body: ReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """The committee does not accept the dispute (reason required)."""
    return await steps.run(
        lambda uow: acceptance.reject_dispute(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/decline", response_model=DisputePublic, responses=ERRORS)
async def decline(
    case_id: uuid.UUID, body: OptionalReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """A respondent refuses mediation (PML 17); the applicant is told."""
    return await steps.run(
        lambda uow: acceptance.respondent_declines(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/start", response_model=DisputePublic, responses=ERRORS)
async def start(case_id: uuid.UUID, actor: ActorDep, steps: StepsDep) -> DisputePublic:
    """The assigned mediator starts mediation."""
    return await steps.run(lambda uow: casework.start_mediation(case_id, actor, uow, steps.ctx))


@router.post("/{case_id}/wait", response_model=DisputePublic, responses=ERRORS)
async def wait(case_id: uuid.UUID, body: WaitIn, actor: ActorDep, steps: StepsDep) -> DisputePublic:
    """Mediation waits on a party (internal targets pause; legal clocks do not)."""
    return await steps.run(
        lambda uow: casework.wait_for_party(
            case_id, body.waiting_on, body.reason, actor, uow, steps.ctx
        )
    )


@router.post("/{case_id}/resume", response_model=DisputePublic, responses=ERRORS)
async def resume(
    case_id: uuid.UUID, body: NoteIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """The party answered: mediation resumes."""
    return await steps.run(lambda uow: casework.resume(case_id, body.note, actor, uow, steps.ctx))


@router.post("/{case_id}/extend", response_model=DisputePublic, responses=ERRORS)
async def extend(
    case_id: uuid.UUID, body: ExtendIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Extend a platform-worker dispute's limit once (≤15 days, both parties consent)."""
    consents = (body.complainant_consent, body.respondent_consent)
    return await steps.run(
        lambda uow: casework.extend(case_id, body.days, consents, body.note, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/fail", response_model=DisputePublic, responses=ERRORS)
async def fail(
    case_id: uuid.UUID, body: ReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Mediation failed; the parties are told of the arbitration route."""
    return await steps.run(lambda uow: casework.fail(case_id, body.reason, actor, uow, steps.ctx))


@router.post("/{case_id}/withdraw", response_model=DisputePublic, responses=ERRORS)
async def withdraw(
    case_id: uuid.UUID, body: OptionalReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """The complainant withdraws (any time before an agreement)."""
    return await steps.run(
        lambda uow: casework.withdraw(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/object", response_model=DisputePublic, responses=ERRORS)
async def object_to(
    case_id: uuid.UUID, body: ReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """A party objects to the mediator: another one is assigned."""
    return await steps.run(
        lambda uow: assignment.object_to_mediator(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/reassign", response_model=DisputePublic, responses=ERRORS)
async def reassign(
    case_id: uuid.UUID, body: ReassignIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """The committee gives a carried dispute to another mediator (the parties are told)."""
    return await steps.run(
        lambda uow: assignment.reassign_to(
            case_id, body.mediator_id, body.reason, actor, uow, steps.ctx
        )
    )


@router.post("/{case_id}/risk", response_model=DisputePublic, responses=ERRORS)
async def risk(
    case_id: uuid.UUID, body: ReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Flag a risk of escalation: the police member on duty takes the case."""
    return await steps.run(
        lambda uow: assignment.flag_risk(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/refer", response_model=DisputePublic, responses=ERRORS)
async def refer(
    case_id: uuid.UUID, body: ReasonIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Refer to arbitration (after failure, expiry, refusal or non-performance)."""
    return await steps.run(
        lambda uow: casework.refer_to_arbitration(case_id, body.reason, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/close", response_model=DisputePublic, responses=ERRORS)
async def close(case_id: uuid.UUID, actor: ActorDep, steps: StepsDep) -> DisputePublic:
    """Close a dispute whose outcome is settled."""
    return await steps.run(lambda uow: casework.close(case_id, actor, uow, steps.ctx))
