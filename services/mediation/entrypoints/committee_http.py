"""The committee's console API: queues, clocks, workload, statistics, alerts; configuration."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from services.mediation.adapters.tables import AUDIT
from services.mediation.domain.calendar import CalendarYear
from services.mediation.domain.clocks import local_date
from services.mediation.domain.roster import Roster, Shift
from services.mediation.entrypoints.disputes_http import ERRORS, guarded
from services.mediation.entrypoints.personal_fields import DISPUTE_LIST
from services.mediation.entrypoints.schemas import AlertClosing, DisputeSummary
from services.mediation.service_layer import (
    administration,
    committee,
    consultations,
    patterns,
    statistics,
)
from services.mediation.service_layer.assignment import current_roster
from services.mediation.service_layer.context import Context
from shared.audit.fields import names_present
from shared.audit.log import AuditLog
from shared.auth.dependency import AUTHENTICATED, current_actor
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime

ActorDep = Annotated[Actor, Depends(current_actor)]
READERS = ("committee", "admin")
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def committee_only(actor: ActorDep) -> Actor:
    if actor.role not in READERS:
        raise HTTPException(403, "the committee's console is for the committee")
    return actor


CommitteeDep = Annotated[Actor, Depends(committee_only)]


def build_committee_router(runtime: ServiceRuntime, ctx: Context) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1", tags=["committee"], responses=ERRORS, dependencies=AUTHENTICATED
    )

    audit = AuditLog(runtime.service, AUDIT, runtime.sessions)

    def today() -> date:
        return local_date(ctx.now())

    @router.get("/disputes", response_model=list[DisputeSummary])
    async def list_disputes(
        actor: CommitteeDep,
        state: str | None = None,
        mediator_id: str | None = None,
        duty_body: str | None = None,
        dispute_type: str | None = None,
        town: str | None = None,
        company_key: str | None = None,
        parent_case_id: uuid.UUID | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Any:
        """A queue: disputes filtered by state, mediator, body, type, town or company."""
        filters = {
            "state": state,
            "mediator_id": mediator_id,
            "duty_body": duty_body,
            "dispute_type": dispute_type,
            "town": town,
            "company_key": company_key,
            "parent_case_id": parent_case_id,
        }
        async with runtime.sessions() as session:
            found = await committee.list_disputes(session, filters, limit, offset)
        shown = [d.model_dump(include=set(DISPUTE_LIST)) for d in found]
        fields = names_present(shown, DISPUTE_LIST)
        await audit.read("list", actor=actor, fields=fields, case_ids=[d.case_id for d in found])
        return found

    @router.get("/mediator/disputes")
    async def my_disputes(actor: ActorDep) -> list[dict[str, Any]]:
        """A mediator's own disputes (and those the committee let them read), open ones first,
        each with its nearest open clock."""
        if actor.role != "mediator":
            raise HTTPException(403, "this list is a mediator's own")
        async with runtime.sessions() as session:
            found = await committee.caseload_of(session, actor.id)
        await audit.read(
            "list", actor=actor, fields=["complainant_name"], case_ids=[r["case_id"] for r in found]
        )
        return found

    @router.get("/committee/queues")
    async def queues(_actor: CommitteeDep) -> dict[str, int]:
        """How many disputes wait in each state."""
        async with runtime.sessions() as session:
            return await committee.queues(session)

    @router.get("/committee/clocks")
    async def clocks(
        _actor: CommitteeDep, clock: str | None = None, limit: Limit = 100, offset: Offset = 0
    ) -> list[dict[str, Any]]:
        """Every open clock with its due day, soonest first."""
        async with runtime.sessions() as session:
            return await committee.open_clocks(session, ctx.calendar, clock, limit, offset)

    @router.get("/committee/limitation-unknown")
    async def limitation_unknown(_actor: CommitteeDep, limit: Limit = 100) -> list[dict[str, Any]]:
        """Open disputes filed without the day they arose: no limitation clock runs for them
        (warning "时效起算日不详")."""
        async with runtime.sessions() as session:
            return await committee.limitation_unknown(session, limit)

    @router.get("/committee/overdue")
    async def overdue(_actor: CommitteeDep, limit: Limit = 100) -> list[dict[str, Any]]:
        """Clocks that ran out on disputes still open."""
        async with runtime.sessions() as session:
            return await committee.overdue(session, ctx.calendar, today(), limit)

    @router.get("/committee/due-soon")
    async def due_soon(
        _actor: CommitteeDep,
        days: Annotated[int | None, Query(ge=0, le=60)] = None,
        limit: Limit = 100,
    ) -> list[dict[str, Any]]:
        """Clocks due within `days` (default MEDIATION_DUE_SOON_DAYS)."""
        async with runtime.sessions() as session:
            horizon = ctx.policy.due_soon_days if days is None else days
            return await committee.due_soon(session, ctx.calendar, today(), horizon, limit)

    @router.get("/committee/workload")
    async def workload(_actor: CommitteeDep) -> dict[str, Any]:
        """Open cases per mediator and per duty body, with capacity and today's duty."""
        async with runtime.uow() as uow:
            roster = await current_roster(uow, ctx)
            return await committee.workload(uow.session, roster, today())

    @router.get("/committee/statistics")
    async def stats(
        _actor: CommitteeDep,
        by: statistics.Dimension = "month",
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        month: Annotated[int | None, Query(ge=1, le=12)] = None,
    ) -> dict[str, Any]:
        """Filed, accepted, agreed, failed, expired, referred, median days; year over year."""
        async with runtime.sessions() as session:
            return await statistics.statistics(session, by, year or today().year, month)

    @router.get("/committee/statistics.csv", response_class=Response)
    async def stats_csv(
        _actor: CommitteeDep,
        by: statistics.Dimension = "month",
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        month: Annotated[int | None, Query(ge=1, le=12)] = None,
    ) -> Response:
        """The same statistics as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese)."""
        async with runtime.sessions() as session:
            report = await statistics.statistics(session, by, year or today().year, month)
        name = f"mediation-{by}-{report['year']}{'-' + str(month) if month else ''}.csv"
        return Response(
            "\ufeff" + statistics.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.get("/committee/alerts")
    async def alerts(_actor: CommitteeDep, status: str | None = "open") -> list[dict[str, Any]]:
        """Pattern alerts: one company, one dispute type, N disputes in the window (with each
        dispute's tracking code beside its case id)."""
        async with runtime.uow() as uow:
            records = await patterns.list_alerts(uow, status)
            codes = await patterns.tracking_codes(uow, records)
            listed = [
                a.model_dump() | {"tracking_codes": [codes.get(str(c), "") for c in a.case_ids]}
                for a in records
            ]
            # the consultation opened from each alert, if any (#20)
            opened = await consultations.list_consultations(
                uow.session, alert_ids=[a["id"] for a in listed]
            )
        by_alert = {c["alert_id"]: c["id"] for c in opened}
        return [{**a, "consultation_id": by_alert.get(str(a["id"]))} for a in listed]

    @router.post("/committee/alerts/{alert_id}/close")
    async def close_alert(
        alert_id: uuid.UUID, actor: CommitteeDep, body: AlertClosing | None = None
    ) -> dict[str, Any]:
        """The committee dealt with the pattern (`note`: what it did, e.g. an industry
        consultation); a later run of disputes raises a new alert. Closed twice: 409."""
        note = body.note if body else ""
        alert = await guarded(
            runtime, lambda uow: patterns.close_alert(alert_id, uow, ctx, note, actor)
        )
        return dict(alert.model_dump())

    @router.get("/roster", response_model=Roster, tags=["roster"])
    async def get_roster(_actor: CommitteeDep) -> Roster:
        """The duty roster: bodies, mediators, weekly rotation, always-on bodies, shifts."""
        async with runtime.uow() as uow:
            return await current_roster(uow, ctx)

    @router.put("/roster", response_model=Roster, tags=["roster"])
    async def put_roster(roster: Roster, actor: ActorDep) -> Roster:
        """Replace the duty roster."""
        return await guarded(  # type: ignore[no-any-return]
            runtime, lambda uow: administration.replace_roster(roster, actor, uow, ctx)
        )

    @router.post("/roster/shifts", response_model=Roster, tags=["roster"])
    async def add_shift(shift: Shift, actor: ActorDep) -> Roster:
        """Put a body on duty for some days (holiday cover, a swap)."""
        return await guarded(  # type: ignore[no-any-return]
            runtime, lambda uow: administration.add_shift(shift, actor, uow, ctx)
        )

    @router.get("/roster/on-duty", tags=["roster"])
    async def on_duty(_actor: CommitteeDep) -> dict[str, Any]:
        """The bodies on duty today."""
        async with runtime.uow() as uow:
            roster = await current_roster(uow, ctx)
        return {"on": today().isoformat(), "bodies": roster.on_duty(today())}

    @router.get("/calendar", tags=["calendar"])
    async def calendar(_actor: CommitteeDep) -> dict[str, Any]:
        """Which years the working-day calendar knows, and where each comes from."""
        cal = ctx.calendar
        return {
            "years": {y: cal.source(date(y, 1, 1)) for y in cal.years},
            "fallback": "Monday-Friday for any other year (labelled weekend-fallback:<year>)",
        }

    @router.put("/calendar/{year}", response_model=CalendarYear, tags=["calendar"])
    async def put_year(year: int, body: CalendarYear, actor: ActorDep) -> CalendarYear:
        """Load the official holiday arrangement of a year (holidays and make-up working days)."""
        if body.year != year:
            raise HTTPException(422, {"errors": [{"field": "year", "message": "path and body"}]})
        return await guarded(  # type: ignore[no-any-return]
            runtime, lambda uow: administration.load_calendar_year(body, actor, uow, ctx)
        )

    return router
