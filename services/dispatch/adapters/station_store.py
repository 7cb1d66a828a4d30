"""The station register and the duty seated at stations in dispatch's database."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.tables import RegisterRevision, StationDutyEntry, StationEntry
from services.dispatch.domain.duty import DutyShift
from services.dispatch.domain.opening_hours import parse_opening_hours
from services.dispatch.domain.stations import Station, normalise

STATIONS = "stations"  # revision row bumped by every register or duty change
ROSTER = "roster"  # revision row: the roster revision projected last


def to_station(row: StationEntry) -> Station:
    return Station(
        station_id=row.station_id,
        name=row.name,
        kind=row.kind,
        town=row.town,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        hours=parse_opening_hours(row.opening_hours),
        facilities=frozenset(row.facilities),
        contact=row.contact,
        status="closed_for_good" if row.status == "closed_for_good" else "open",
        generated=row.generated,
    )


def to_duty(row: StationDutyEntry) -> DutyShift:
    return DutyShift(
        station_id=row.station_id,
        body_id=row.body_id,
        body_name=row.body_name,
        body_kind=row.body_kind,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        weekdays=tuple(row.weekdays),
        from_time=time.fromisoformat(row.from_time),
        to_time=time.fromisoformat(row.to_time),
    )


def same_as_stored(row: StationEntry, station: Station) -> bool:
    return to_station(row) == station and row.opening_hours == station.hours.text


def fill(row: StationEntry, station: Station, at: datetime) -> StationEntry:
    row.name, row.kind, row.town, row.address = (
        station.name,
        station.kind,
        station.town,
        station.address,
    )
    row.name_key, row.address_key = station.identity
    row.latitude, row.longitude = station.latitude, station.longitude
    row.opening_hours = station.hours.text
    row.facilities = sorted(station.facilities)
    row.contact, row.generated, row.status = station.contact, station.generated, station.status
    row.updated_at = at
    if station.status == "closed_for_good" and row.closed_at is None:
        row.closed_at = at
    return row


def new_row(station: Station, at: datetime) -> StationEntry:
    row = StationEntry(
        station_id=station.station_id,
        name=station.name,
        kind=station.kind,
        town=station.town,
        address=station.address,
        name_key="",
        address_key="",
        latitude=station.latitude,
        longitude=station.longitude,
        opening_hours=station.hours.text,
        created_at=at,
    )
    return fill(row, station, at)


async def by_identity(session: AsyncSession, name: str, address: str) -> StationEntry | None:
    found = await session.exec(
        select(StationEntry).where(
            StationEntry.name_key == normalise(name), StationEntry.address_key == normalise(address)
        )
    )
    return found.first()


async def is_empty(session: AsyncSession) -> bool:
    found = await session.exec(select(StationEntry.station_id).limit(1))
    return found.first() is None


async def all_rows(session: AsyncSession) -> list[StationEntry]:
    return list((await session.exec(select(StationEntry))).all())


async def all_duties(session: AsyncSession) -> list[DutyShift]:
    return [to_duty(r) for r in (await session.exec(select(StationDutyEntry))).all()]


async def duties_at(session: AsyncSession, station_id: str) -> list[DutyShift]:
    rows = await session.exec(
        select(StationDutyEntry).where(StationDutyEntry.station_id == station_id)
    )
    return [to_duty(r) for r in rows.all()]


async def has_future_duty(session: AsyncSession, station_id: str, today: date) -> bool:
    found = await session.exec(
        select(StationDutyEntry.id).where(
            StationDutyEntry.station_id == station_id, col(StationDutyEntry.ends_on) >= today
        )
    )
    return found.first() is not None


async def replace_duties(session: AsyncSession, shifts: list[DutyShift]) -> None:
    await session.exec(delete(StationDutyEntry))
    for s in shifts:
        session.add(
            StationDutyEntry(
                station_id=s.station_id,
                body_id=s.body_id,
                body_name=s.body_name,
                body_kind=s.body_kind,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                weekdays=list(s.weekdays),
                from_time=s.from_time.strftime("%H:%M"),
                to_time=s.to_time.strftime("%H:%M"),
            )
        )


async def revision(session: AsyncSession, name: str = STATIONS) -> int:
    row = await session.get(RegisterRevision, name)
    return row.revision if row else 0


async def set_revision(session: AsyncSession, name: str, value: int, at: datetime) -> None:
    row = await session.get(RegisterRevision, name) or RegisterRevision(name=name)
    row.revision, row.updated_at = value, at
    session.add(row)


async def bump(session: AsyncSession, at: datetime) -> None:
    """One more change to the register (every replica's index notices and rebuilds)."""
    if await session.get(RegisterRevision, STATIONS) is None:
        session.add(RegisterRevision(name=STATIONS, revision=0, updated_at=at))
        await session.flush()
    await session.exec(
        update(RegisterRevision)
        .where(col(RegisterRevision.name) == STATIONS)
        .values(revision=RegisterRevision.revision + 1, updated_at=at)
    )
