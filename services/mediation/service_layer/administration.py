"""Configuration by API: the duty roster (schedules, shifts) and official calendar years."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from services.mediation.adapters.tables import CalendarYearRecord, RosterRecord
from services.mediation.domain.calendar import CalendarYear
from services.mediation.domain.errors import Incomplete, NotAllowed
from services.mediation.domain.roster import Roster, Shift
from services.mediation.service_layer.assignment import current_roster
from services.mediation.service_layer.clocks import recompute_legal_clocks
from services.mediation.service_layer.context import Context
from shared.contracts.envelope import SYSTEM, Actor, new_event
from shared.contracts.events.mediation import ROSTER_ID, RosterPublished, StationDutyItem
from shared.messaging.uow import UnitOfWork

ADMINS = ("admin", "committee")


def _check(actor: Actor) -> None:
    if actor.role not in ADMINS:
        raise NotAllowed(f"a {actor.role} may not configure mediation")


async def replace_roster(roster: Roster, actor: Actor, uow: UnitOfWork, ctx: Context) -> Roster:
    """Replace the whole roster (bodies, mediators, rotation, always-on bodies, shifts)."""
    _check(actor)
    record = await uow.session.get(RosterRecord, 1) or RosterRecord(id=1, body={})
    record.body = roster.model_dump(mode="json")
    record.updated_at, record.updated_by = ctx.now(), actor.id
    uow.session.add(record)
    publish_roster(roster, actor, uow, ctx)
    await uow.commit()
    return roster


def publish_roster(roster: Roster, actor: Actor, uow: UnitOfWork, ctx: Context) -> None:
    """Announce the shifts that seat a body at a station (dispatch's station pages show them)."""
    names = {b.body_id: b for b in roster.bodies}
    duty = [
        StationDutyItem(
            station_id=s.station_id,
            body_id=s.body_id,
            body_name=names[s.body_id].name,
            body_kind=names[s.body_id].kind,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            weekdays=list(s.weekdays),
            from_time=s.from_time,
            to_time=s.to_time,
        )
        for s in roster.shifts
        if s.station_id is not None
    ]
    revision = int(ctx.now().timestamp() * 1_000_000)
    uow.emit(
        new_event(
            "roster.published",
            RosterPublished(revision=revision, station_duty=duty),
            case_id=ROSTER_ID,
            actor=actor,
            producer="mediation",
        )
    )


async def add_shift(shift: Shift, actor: Actor, uow: UnitOfWork, ctx: Context) -> Roster:
    """Put a body on duty for a run of days (cover, swaps), on top of the weekly rotation."""
    _check(actor)
    roster = await current_roster(uow, ctx)
    if shift.body_id not in {b.body_id for b in roster.bodies}:
        raise Incomplete("body_id", f"no duty body {shift.body_id!r} in the roster")
    updated = Roster.model_validate(roster.model_dump() | {"shifts": (*roster.shifts, shift)})
    return await replace_roster(updated, actor, uow, ctx)


async def publish_file_roster(uow: UnitOfWork, ctx: Context) -> bool:
    """At start, while the roster is still the file's: announce its station shifts, if any.

    Announcing again at the next start is harmless (dispatch replaces the duty with the same).
    """
    if await uow.session.get(RosterRecord, 1) is not None:
        return False
    if not any(s.station_id for s in ctx.roster_file.shifts):
        return False
    publish_roster(ctx.roster_file, SYSTEM, uow, ctx)
    await uow.commit()
    return True


async def load_calendar_year(
    year: CalendarYear, actor: Actor, uow: UnitOfWork, ctx: Context
) -> CalendarYear:
    """An administrator loads the State Council's arrangement for a year; it takes precedence."""
    _check(actor)
    record = await uow.session.get(CalendarYearRecord, year.year) or CalendarYearRecord(
        year=year.year, source=year.source
    )
    record.holidays = sorted(d.isoformat() for d in year.holidays)
    record.workdays = sorted(d.isoformat() for d in year.workdays)
    record.source, record.loaded_at = f"api:{year.source}"[:100], ctx.now()
    uow.session.add(record)
    calendar = ctx.calendar.with_years([year.model_copy(update={"source": record.source})])
    await recompute_legal_clocks(uow, ctx, calendar)  # once, here; other replicas re-read it
    await uow.commit()
    ctx.calendar = calendar
    return year


async def calendar_stamp(uow: UnitOfWork) -> tuple[int, str]:
    """How many years are stored and when the last was loaded: a change means re-read."""
    count, last = (
        await uow.session.exec(
            select(sa.func.count(), sa.func.max(col(CalendarYearRecord.loaded_at)))
        )
    ).one()
    return int(count or 0), str(last or "")


async def stored_calendar_years(uow: UnitOfWork) -> list[CalendarYear]:
    rows = (
        await uow.session.exec(select(CalendarYearRecord).order_by(col(CalendarYearRecord.year)))
    ).all()
    return [
        CalendarYear.model_validate(
            {"year": r.year, "holidays": r.holidays, "workdays": r.workdays, "source": r.source}
        )
        for r in rows
    ]
