"""Intake's officer and tracking API: decode, call a use case, shape the answer."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse
from sqlmodel import col, or_, select

from services.intake.adapters import repository
from services.intake.adapters.jurisdictions import JurisdictionMap
from services.intake.adapters.tables import Case, Party, TimelineEntry
from services.intake.domain.commands import AnswerFix, FileDispute, FileHazard
from services.intake.domain.errors import Conflict, NotFound, OutsideServiceArea, UnknownCategory
from services.intake.domain.privacy import mask_phone
from services.intake.domain.tracking import normalise
from services.intake.entrypoints.schemas import (
    CasePage,
    CasePublic,
    CaseSummary,
    Filed,
    PartyPublic,
    TimelineItem,
    TrackingView,
)
from services.intake.service_layer import filing, tracking
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime

OFFICER = Actor(role="intake_officer", id="officer")


def _field_error(status: int, field: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"detail": message, "errors": [{"field": field, "message": message}]}, status_code=status
    )


def _timeline(entries: list[TimelineEntry]) -> list[TimelineItem]:
    return [TimelineItem.model_validate(e, from_attributes=True) for e in entries]


def _filed(case: Case) -> Filed:
    return Filed(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        kind=case.kind,
        jurisdiction=case.jurisdiction,
    )


def _party(p: Party) -> PartyPublic:
    return PartyPublic(
        role=p.role,
        party_id=p.party_id,
        name=p.name,
        phone_masked=mask_phone(p.phone) if p.phone else None,
        org_code=p.org_code,
    )


def _encode_cursor(case: Case) -> str:
    return base64.urlsafe_b64encode(f"{case.created_at.isoformat()}|{case.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), uuid.UUID(case_id)
    except Exception as exc:
        raise HTTPException(400, "cursor: not a cursor this API gave out") from exc


def build_router(runtime: ServiceRuntime, jurisdictions: JurisdictionMap) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/disputes", status_code=201, response_model=Filed, tags=["officer"])
    async def post_dispute(cmd: FileDispute) -> Filed:
        """File a labour dispute (also an oral application taken at the desk)."""
        async with runtime.uow() as uow:
            case = await filing.file_dispute(cmd, uow, OFFICER)
        return _filed(case)

    @router.post(
        "/api/v1/hazards",
        status_code=201,
        response_model=Filed,
        tags=["officer"],
        responses={400: {"description": "Outside the service area"}},
    )
    async def post_hazard(cmd: FileHazard) -> Filed | JSONResponse:
        """File a hazard report: triaged to a category, a jurisdiction and an urgency."""
        try:
            async with runtime.uow() as uow:
                case = await filing.file_hazard(cmd, uow, OFFICER, jurisdictions, "officer")
        except UnknownCategory:
            return _field_error(422, "category", f"unknown hazard category {cmd.category!r}")
        except OutsideServiceArea:
            return _field_error(400, "latitude", "the location is outside the service area")
        return _filed(case)

    @router.get("/api/v1/cases", response_model=CasePage, tags=["officer"])
    async def list_cases(
        kind: Literal["dispute", "hazard"] | None = None,
        status: Annotated[str | None, Query(max_length=40)] = None,
        category: Annotated[str | None, Query(max_length=40)] = None,
        jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> CasePage:
        """List cases, newest first, with filters and a cursor."""
        stmt = select(Case)
        for column, value in (
            (Case.kind, kind),
            (Case.status, status),
            (Case.category, category),
            (Case.jurisdiction, jurisdiction),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if cursor:
            at, last_id = _decode_cursor(cursor)
            stmt = stmt.where(
                or_(
                    col(Case.created_at) < at,
                    (col(Case.created_at) == at) & (col(Case.id) < last_id),
                )
            )
        stmt = stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc()).limit(limit + 1)
        async with runtime.sessions() as session:
            rows = list((await session.exec(stmt)).all())
        page = rows[:limit]
        return CasePage(
            items=[
                CaseSummary(case_id=c.id, **c.model_dump(include=set(CaseSummary.model_fields)))
                for c in page
            ],
            next_cursor=_encode_cursor(page[-1]) if len(rows) > limit else None,
        )

    @router.get(
        "/api/v1/cases/{case_id}",
        response_model=CasePublic,
        tags=["officer"],
        responses={404: {"description": "No such case"}},
    )
    async def get_case(case_id: uuid.UUID) -> CasePublic:
        """One case with its parties (phones masked) and its whole timeline."""
        async with runtime.sessions() as session:
            case = await repository.get_case(session, case_id)
            if case is None:
                raise HTTPException(404, "no such case")
            parties = await repository.parties_of(session, case_id)
            timeline = await repository.timeline_of(session, case_id)
        return CasePublic(
            case_id=case.id,
            **case.model_dump(exclude={"id", "details", "status_at", "channel", "address"}),
            parties=[_party(p) for p in parties],
            timeline=_timeline(timeline),
        )

    @router.get(
        "/track/{code}",
        response_model=TrackingView,
        tags=["tracking"],
        responses={404: {"description": "No such tracking code"}},
    )
    async def track(code: str) -> TrackingView:
        """Where is my ticket? Status and timeline in plain words, no account needed."""
        async with runtime.sessions() as session:
            case = await repository.case_by_code(session, normalise(code))
            if case is None:
                raise HTTPException(404, "no ticket with this tracking code")
            timeline = await repository.timeline_of(session, case.id)
        return TrackingView(
            tracking_code=case.tracking_code,
            kind=case.kind,
            status=case.status,
            title=case.title,
            can_answer_fix=case.kind == "hazard" and case.status == "resolved",
            timeline=_timeline(timeline),
        )

    @router.post(
        "/track/{code}/answer",
        response_model=TrackingView,
        tags=["tracking"],
        responses={404: {"description": "No such code"}, 409: {"description": "Not resolved"}},
    )
    async def answer(code: str, cmd: AnswerFix) -> TrackingView:
        """The reporter answers "is it fixed?" (修好了吗？) for a resolved hazard."""
        try:
            async with runtime.uow() as uow:
                await tracking.answer_fix(code, cmd, uow)
        except NotFound as exc:
            raise HTTPException(404, "no ticket with this tracking code") from exc
        except Conflict as exc:
            raise HTTPException(409, str(exc)) from exc
        return await track(code)

    return router
