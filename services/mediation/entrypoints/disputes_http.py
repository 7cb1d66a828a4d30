"""Mediation's API for the parties, the mediators and the committee: one route per step."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from sqlmodel import col, select

from services.mediation.adapters.agreement_pdf import Copy, FontMissing, render
from services.mediation.adapters.station_lookup import StationsUnavailable
from services.mediation.adapters.tables import AUDIT, Dispute, DisputeClock, DisputeHistory
from services.mediation.domain.agreement import AgreementTerms
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.errors import (
    AgainstTheRules,
    IllegalTransition,
    Incomplete,
    MediationError,
    NoMediatorAvailable,
    NotAllowed,
    NotFound,
    TooEarly,
)
from services.mediation.domain.lifecycle import State, allowed_actions
from services.mediation.entrypoints import personal_fields
from services.mediation.entrypoints.schemas import (
    ClockOut,
    DisputePublic,
    ExtendIn,
    HeldIn,
    HistoryItem,
    MemberOut,
    NoteIn,
    OptionalReasonIn,
    PerformanceIn,
    ReasonIn,
    ReassignIn,
    RepresentativesIn,
    RescheduleIn,
    SessionIn,
    SessionOut,
    WaitIn,
)
from services.mediation.service_layer import (
    acceptance,
    assignment,
    casework,
    documents,
    groups,
    sessions,
)
from services.mediation.service_layer.clocks import explained
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.grants import is_granted
from shared.audit.fields import names_present
from shared.audit.http import AuditCaller
from shared.audit.log import AuditLog
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.http import ErrorMapping
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such dispute"},
    403: {"description": "Not allowed for this caller"},
    409: {"description": "Not allowed in the current state (names it), or against the rules"},
    422: {"description": "Missing or invalid field (names it)"},
}


def may_read(dispute: Dispute, actor: Actor) -> bool:
    """Committee, admins and the desk (it answers "where is my dispute?"); the assigned
    mediator (others only with the committee's grant, checked by the route); the complainant;
    a named respondent."""
    if actor.role in ("committee", "admin", "intake_officer"):
        return True
    if actor.role == "mediator":
        return actor.id == dispute.mediator_id
    if actor.role == "complainant":
        return actor.id == dispute.complainant_id
    if actor.role == "respondent":
        return actor.id in {str(r["party_id"]) for r in dispute.respondents}
    return False


# MediationError -> HTTPException, for a route to raise
http_error = ErrorMapping(
    [
        (NotFound, 404, lambda e: f"not found: {e}"),
        (IllegalTransition, 409, lambda e: {"message": str(e), "state": e.state}),
        (NotAllowed, 403, str),
        (AgainstTheRules, 409, lambda e: {"message": str(e)}),
        (Incomplete, 422, lambda e: {"message": str(e), "errors": [{"field": e.field}]}),
        (TooEarly, 409, lambda e: {"message": str(e), "field": e.field}),
        (
            NoMediatorAvailable,
            409,
            lambda e: {"message": str(e), "state": "no_mediator_available"},
        ),
    ],
    otherwise=(409, str),
    answer=HTTPException,
)


async def guarded(runtime: ServiceRuntime, work: Callable[[UnitOfWork], Awaitable[Any]]) -> Any:
    """Run one use case in a unit of work; domain errors become clear HTTP errors."""
    try:
        async with runtime.uow() as uow:
            return await work(uow)
    except MediationError as exc:
        raise http_error(exc) from exc


def build_router(runtime: ServiceRuntime, ctx: Context) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1/disputes", tags=["disputes"], dependencies=[*AUTHENTICATED, *AuditCaller]
    )
    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)

    def changing(
        fields: list[str], work: Callable[[UnitOfWork], Awaitable[Any]]
    ) -> Callable[[UnitOfWork], Awaitable[Any]]:
        """The use case, its commit carrying an audit entry of the personal fields it writes."""

        async def audited(uow: UnitOfWork) -> Any:
            audit.on_commit(uow.session, "update", fields=fields)
            return await work(uow)

        return audited

    async def read(case_id: uuid.UUID, actor: Actor) -> DisputePublic:
        async with runtime.uow() as uow:
            dispute = await uow.session.get(Dispute, case_id)
            if dispute is None:
                raise HTTPException(404, "no such dispute")
            history = (
                await uow.session.exec(
                    select(DisputeHistory)
                    .where(DisputeHistory.case_id == case_id)
                    .order_by(col(DisputeHistory.position))
                )
            ).all()
            clocks = (
                await uow.session.exec(select(DisputeClock).where(DisputeClock.case_id == case_id))
            ).all()
            meetings = await sessions.sessions_of(uow, case_id)
            lines = {str(x["case_id"]): x for x in (dispute.agreement or {}).get("schedule", [])}
            group = await groups.members(uow, case_id) if dispute.group_size else []
            shown = DisputePublic(
                **dispute.model_dump(),
                history=[HistoryItem.model_validate(h, from_attributes=True) for h in history],
                clocks=[
                    ClockOut(
                        **c.model_dump(),
                        **explained(
                            c.clock,
                            c.started_on,
                            c.due_on,
                            ctx.calendar,
                            extended_days=dispute.mediation_extended_days,
                            agreed_on=dispute.performance_deadline,
                        ),
                    )
                    for c in clocks
                ],
                sessions=[SessionOut.model_validate(s, from_attributes=True) for s in meetings],
                members=[
                    MemberOut(
                        **m.model_dump(),
                        amount_yuan=lines.get(str(m.case_id), {}).get("amount_yuan"),
                        due_on=lines.get(str(m.case_id), {}).get("due_on"),
                    )
                    for m in group
                ],
                allowed_actions=allowed_actions(
                    State(dispute.state),
                    actor.role,
                    own=actor.id == dispute.mediator_id,
                    platform_worker=dispute.platform_worker,
                    extended=dispute.mediation_extended_days > 0,
                ),
            )
        fields = names_present(shown, personal_fields.DISPUTE)
        await audit.read(case_id=case_id, fields=fields)
        return shown

    async def run(actor: Actor, work: Callable[[UnitOfWork], Awaitable[Any]]) -> DisputePublic:
        dispute = await guarded(runtime, work)
        return await read(dispute.case_id, actor)

    @router.get("/{case_id}", response_model=DisputePublic, responses=ERRORS)
    async def get_dispute(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """One dispute with its state history, its clocks and its sessions (its parties only)."""
        async with runtime.sessions() as session:
            dispute = await session.get(Dispute, case_id)
            # a mediator not assigned to it reads it with the committee's grant
            granted = actor.role == "mediator" and await is_granted(session, case_id, actor.id)
        if dispute is not None and not (may_read(dispute, actor) or granted):
            raise HTTPException(403, "you may not see this dispute")
        return await read(case_id, actor)

    @router.post("/{case_id}/accept", response_model=DisputePublic, responses=ERRORS)
    async def accept(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """The committee accepts the dispute; the roster assigns a mediator at once."""
        return await run(actor, lambda uow: acceptance.accept_dispute(case_id, actor, uow, ctx))

    @router.post("/{case_id}/reject", response_model=DisputePublic, responses=ERRORS)
    async def reject(case_id: uuid.UUID, body: ReasonIn, actor: ActorDep) -> DisputePublic:
        """The committee does not accept the dispute (reason required)."""
        return await run(
            actor, lambda uow: acceptance.reject_dispute(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/decline", response_model=DisputePublic, responses=ERRORS)
    async def decline(case_id: uuid.UUID, body: OptionalReasonIn, actor: ActorDep) -> DisputePublic:
        """A respondent refuses mediation (PML 17); the applicant is told."""
        return await run(
            actor, lambda uow: acceptance.respondent_declines(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/start", response_model=DisputePublic, responses=ERRORS)
    async def start(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """The assigned mediator starts mediation."""
        return await run(actor, lambda uow: casework.start_mediation(case_id, actor, uow, ctx))

    @router.post("/{case_id}/wait", response_model=DisputePublic, responses=ERRORS)
    async def wait(case_id: uuid.UUID, body: WaitIn, actor: ActorDep) -> DisputePublic:
        """Mediation waits on a party (internal targets pause; legal clocks do not)."""
        return await run(
            actor,
            lambda uow: casework.wait_for_party(
                case_id, body.waiting_on, body.reason, actor, uow, ctx
            ),
        )

    @router.post("/{case_id}/resume", response_model=DisputePublic, responses=ERRORS)
    async def resume(case_id: uuid.UUID, body: NoteIn, actor: ActorDep) -> DisputePublic:
        """The party answered: mediation resumes."""
        return await run(actor, lambda uow: casework.resume(case_id, body.note, actor, uow, ctx))

    @router.post("/{case_id}/extend", response_model=DisputePublic, responses=ERRORS)
    async def extend(case_id: uuid.UUID, body: ExtendIn, actor: ActorDep) -> DisputePublic:
        """Extend a platform-worker dispute's limit once (≤15 days, both parties consent)."""
        consents = (body.complainant_consent, body.respondent_consent)
        return await run(
            actor,
            lambda uow: casework.extend(case_id, body.days, consents, body.note, actor, uow, ctx),
        )

    @router.post("/{case_id}/fail", response_model=DisputePublic, responses=ERRORS)
    async def fail(case_id: uuid.UUID, body: ReasonIn, actor: ActorDep) -> DisputePublic:
        """Mediation failed; the parties are told of the arbitration route."""
        return await run(actor, lambda uow: casework.fail(case_id, body.reason, actor, uow, ctx))

    @router.post("/{case_id}/withdraw", response_model=DisputePublic, responses=ERRORS)
    async def withdraw(
        case_id: uuid.UUID, body: OptionalReasonIn, actor: ActorDep
    ) -> DisputePublic:
        """The complainant withdraws (any time before an agreement)."""
        return await run(
            actor, lambda uow: casework.withdraw(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/object", response_model=DisputePublic, responses=ERRORS)
    async def object_to(case_id: uuid.UUID, body: ReasonIn, actor: ActorDep) -> DisputePublic:
        """A party objects to the mediator: another one is assigned."""
        return await run(
            actor, lambda uow: assignment.object_to_mediator(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/reassign", response_model=DisputePublic, responses=ERRORS)
    async def reassign(case_id: uuid.UUID, body: ReassignIn, actor: ActorDep) -> DisputePublic:
        """The committee gives a carried dispute to another mediator (the parties are told)."""
        return await run(
            actor,
            lambda uow: assignment.reassign_to(
                case_id, body.mediator_id, body.reason, actor, uow, ctx
            ),
        )

    @router.post("/{case_id}/risk", response_model=DisputePublic, responses=ERRORS)
    async def risk(case_id: uuid.UUID, body: ReasonIn, actor: ActorDep) -> DisputePublic:
        """Flag a risk of escalation: the police member on duty takes the case."""
        return await run(
            actor, lambda uow: assignment.flag_risk(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/agreement", response_model=DisputePublic, responses=ERRORS)
    async def agreement(
        case_id: uuid.UUID, terms: AgreementTerms, actor: ActorDep
    ) -> DisputePublic:
        """Record the signed and sealed agreement; it takes effect and performance is watched."""
        return await run(
            actor,
            changing(
                ["agreement"],
                lambda uow: casework.sign_agreement(case_id, terms, actor, uow, ctx),
            ),
        )

    @router.get(
        "/{case_id}/agreement.pdf",
        responses=ERRORS | {200: {"content": {"application/pdf": {}}}},
        response_class=Response,
    )
    async def agreement_pdf(
        case_id: uuid.UUID, actor: ActorDep, copy: Copy | None = Query(default=None)
    ) -> Response:
        """The agreement as a PDF: each party its own copy; mediator and committee any copy."""
        try:
            async with runtime.sessions() as session:
                doc, which = await documents.agreement_document(
                    session, case_id, actor, copy, ctx.roster_file
                )
        except MediationError as exc:
            raise http_error(exc) from exc
        try:
            pdf = render(doc, which, ctx.agreement_font)
        except FontMissing as exc:
            raise HTTPException(503, str(exc)) from exc
        await audit.read("download", case_id=case_id, fields=personal_fields.AGREEMENT_PDF)
        name = f"{doc.agreement_id}-{which}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.post("/{case_id}/applications/{clock}", response_model=DisputePublic, responses=ERRORS)
    async def application(case_id: uuid.UUID, clock: ClockName, actor: ActorDep) -> DisputePublic:
        """The parties applied for judicial confirmation or arbitration review: stop that clock."""
        return await run(
            actor, lambda uow: casework.record_application(case_id, clock, actor, uow, ctx)
        )

    @router.post("/{case_id}/performance", response_model=DisputePublic, responses=ERRORS)
    async def performance(
        case_id: uuid.UUID, body: PerformanceIn, actor: ActorDep
    ) -> DisputePublic:
        """Record whether the agreement was performed."""
        return await run(
            actor,
            lambda uow: casework.record_performance(
                case_id, body.performed, body.note, actor, uow, ctx
            ),
        )

    @router.post("/{case_id}/refer", response_model=DisputePublic, responses=ERRORS)
    async def refer(case_id: uuid.UUID, body: ReasonIn, actor: ActorDep) -> DisputePublic:
        """Refer to arbitration (after failure, expiry, refusal or non-performance)."""
        return await run(
            actor, lambda uow: casework.refer_to_arbitration(case_id, body.reason, actor, uow, ctx)
        )

    @router.post("/{case_id}/close", response_model=DisputePublic, responses=ERRORS)
    async def close(case_id: uuid.UUID, actor: ActorDep) -> DisputePublic:
        """Close a dispute whose outcome is settled."""
        return await run(actor, lambda uow: casework.close(case_id, actor, uow, ctx))

    @router.post(
        "/{case_id}/sessions", response_model=SessionOut, responses=ERRORS, status_code=201
    )
    async def schedule(case_id: uuid.UUID, body: SessionIn, actor: ActorDep) -> Any:
        """Schedule a session (a place, a station, or online); the attendees are invited."""
        place = body.place
        if body.station_id is not None:
            try:
                found = await ctx.station_place(body.station_id) if ctx.station_place else None
            except StationsUnavailable as exc:
                raise HTTPException(
                    503, {"field": "station_id", "message": "暂时无法查询阵地，请稍后再试"}
                ) from exc
            if found is None:
                raise HTTPException(
                    422, {"field": "station_id", "message": "没有这个阵地，或它已关闭"}
                )
            place = found
        return await guarded(
            runtime,
            changing(
                ["sessions.attendees", "sessions.place"],
                lambda uow: sessions.schedule_session(
                    case_id,
                    body.starts_at,
                    place,
                    body.online,
                    body.attendees,
                    actor,
                    uow,
                    ctx,
                ),
            ),
        )

    @router.post(
        "/{case_id}/sessions/{session_id}/reschedule", response_model=SessionOut, responses=ERRORS
    )
    async def reschedule(
        case_id: uuid.UUID, session_id: str, body: RescheduleIn, actor: ActorDep
    ) -> Any:
        """Move a session; the attendees are told of the change (old and new time, why) and
        reminded of the new time."""
        return await guarded(
            runtime,
            changing(
                ["sessions.place"],
                lambda uow: sessions.reschedule_session(
                    case_id, session_id, body.starts_at, body.place, body.reason, actor, uow, ctx
                ),
            ),
        )

    @router.post(
        "/{case_id}/sessions/{session_id}/held", response_model=SessionOut, responses=ERRORS
    )
    async def held(case_id: uuid.UUID, session_id: str, body: HeldIn, actor: ActorDep) -> Any:
        """Record that a session took place: who attended, what came of it."""
        return await guarded(
            runtime,
            changing(
                ["sessions.attendees", "sessions.summary"],
                lambda uow: sessions.hold_session(
                    case_id, session_id, body.summary, body.attendees, actor, uow, ctx
                ),
            ),
        )

    @router.post("/{case_id}/representatives", response_model=DisputePublic, responses=ERRORS)
    async def representatives(
        case_id: uuid.UUID, body: RepresentativesIn, actor: ActorDep
    ) -> DisputePublic:
        """Record the representatives a group dispute's members elected (LDMAL 7)."""
        return await run(
            actor,
            changing(
                ["representatives"],
                lambda uow: groups.elect_representatives(case_id, body.party_ids, actor, uow),
            ),
        )

    @router.post(
        "/{case_id}/members/{member_case_id}/performance",
        response_model=DisputePublic,
        responses=ERRORS,
    )
    async def member_performance(
        case_id: uuid.UUID, member_case_id: uuid.UUID, body: PerformanceIn, actor: ActorDep
    ) -> DisputePublic:
        """Record whether one member's line of the group agreement was performed."""
        return await run(
            actor,
            lambda uow: groups.record_member_performance(
                case_id, member_case_id, body.performed, body.note, actor, uow, ctx
            ),
        )

    return router
