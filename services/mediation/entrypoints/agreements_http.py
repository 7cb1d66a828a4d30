"""A dispute's agreement: recording it, each party's PDF copy, the applications that stop
its clocks (judicial confirmation, arbitration review) and whether it was performed."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, Query, Response

from services.mediation.adapters.agreement_pdf import Copy, FontMissing, render
from services.mediation.domain.agreement import AgreementTerms
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.errors import MediationError
from services.mediation.entrypoints import personal_fields
from services.mediation.entrypoints.dependencies import ActorDep
from services.mediation.entrypoints.errors import ERRORS, http_error
from services.mediation.entrypoints.schemas import DisputePublic, PerformanceIn
from services.mediation.entrypoints.use_cases import StepsDep
from services.mediation.service_layer import casework, documents
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/disputes", tags=["disputes"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


@router.post("/{case_id}/agreement", response_model=DisputePublic, responses=ERRORS)
async def agreement(
    case_id: uuid.UUID, terms: AgreementTerms, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Record the signed and sealed agreement; it takes effect and performance is watched."""
    return await steps.run(
        steps.changing(
            ["agreement"],
            lambda uow: casework.sign_agreement(case_id, terms, actor, uow, steps.ctx),
        )
    )


@router.get(
    "/{case_id}/agreement.pdf",
    responses=ERRORS | {200: {"content": {"application/pdf": {}}}},
    response_class=Response,
)
async def agreement_pdf(
    case_id: uuid.UUID, actor: ActorDep, steps: StepsDep, copy: Copy | None = Query(default=None)
) -> Response:
    """The agreement as a PDF: each party its own copy; mediator and committee any copy."""
    try:
        async with steps.runtime.sessions() as session:
            doc, which = await documents.agreement_document(
                session, case_id, actor, copy, steps.ctx.roster_file
            )
    except MediationError as exc:
        raise http_error(exc) from exc
    try:
        pdf = render(doc, which, steps.ctx.agreement_font)
    except FontMissing as exc:
        raise HTTPException(503, str(exc)) from exc
    await steps.audit.read("download", case_id=case_id, fields=personal_fields.AGREEMENT_PDF)
    name = f"{doc.agreement_id}-{which}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/{case_id}/applications/{clock}", response_model=DisputePublic, responses=ERRORS)
async def application(
    case_id: uuid.UUID, clock: ClockName, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """The parties applied for judicial confirmation or arbitration review: stop that clock."""
    return await steps.run(
        lambda uow: casework.record_application(case_id, clock, actor, uow, steps.ctx)
    )


@router.post("/{case_id}/performance", response_model=DisputePublic, responses=ERRORS)
async def performance(
    case_id: uuid.UUID, body: PerformanceIn, actor: ActorDep, steps: StepsDep
) -> DisputePublic:
    """Record whether the agreement was performed."""
    return await steps.run(
        lambda uow: casework.record_performance(
            case_id, body.performed, body.note, actor, uow, steps.ctx
        )
    )
