"""Keeping the station register: an admin creates, changes and closes stations, or imports the
district's spreadsheet (all rows or none)."""

from __future__ import annotations

import hashlib

import structlog
from sqlalchemy.exc import IntegrityError

from services.dispatch.adapters import station_store as store
from services.dispatch.adapters.tables import StationEntry
from services.dispatch.domain.errors import (
    DuplicateStation,
    ImportRejected,
    InvalidStation,
    NotFound,
)
from services.dispatch.domain.stations import (
    ImportReport,
    ImportRow,
    RowError,
    Station,
    StationDraft,
    check_station,
    normalise,
)
from services.dispatch.service_layer.context import Context
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger(__name__)


def station_id_for(draft: StationDraft) -> str:
    """A stable id from name and address: the same row imported twice is the same station."""
    key = f"{normalise(draft.name)}|{normalise(draft.address)}".encode()
    return "st-" + hashlib.sha256(key).hexdigest()[:12]


async def _no_duplicate(uow: UnitOfWork, station: Station, *, creating: bool = False) -> None:
    other = await store.by_identity(uow.session, station.name, station.address)
    if other is not None and (other.station_id != station.station_id or creating):
        raise DuplicateStation("name", f"已有同名同地址的阵地“{other.name}”（{other.address}）")


async def create_station(
    uow: UnitOfWork, draft: StationDraft, ctx: Context, station_id: str | None = None
) -> Station:
    station = check_station(station_id or station_id_for(draft), draft, ctx.district)
    await _no_duplicate(uow, station, creating=True)
    if await uow.session.get(StationEntry, station.station_id) is not None:
        raise DuplicateStation("station_id", f"编号 {station.station_id} 已被使用")
    uow.session.add(store.new_row(station, ctx.clock.now()))
    await store.bump(uow.session, ctx.clock.now())
    return station


async def _row(uow: UnitOfWork, station_id: str) -> StationEntry:
    row = await uow.session.get(StationEntry, station_id)
    if row is None:
        raise NotFound(f"station {station_id}")
    return row


async def update_station(
    uow: UnitOfWork, station_id: str, draft: StationDraft, ctx: Context
) -> Station:
    """Replace a station's details (hours, facilities, contact...); a closed one stays closed."""
    row = await _row(uow, station_id)
    if row.status == "closed_for_good":
        raise InvalidStation("status", "该阵地已永久关闭，不能再修改")
    station = check_station(station_id, draft, ctx.district)
    await _no_duplicate(uow, station)
    store.fill(row, station, ctx.clock.now())
    uow.session.add(row)
    await store.bump(uow.session, ctx.clock.now())
    return station


async def close_station(uow: UnitOfWork, station_id: str, ctx: Context) -> Station:
    """Closed for good: kept on record, gone from maps and queries; not while duty is ahead."""
    row = await _row(uow, station_id)
    if row.status == "closed_for_good":
        return store.to_station(row)
    if await store.has_future_duty(uow.session, station_id, ctx.local_now().date()):
        raise InvalidStation("status", "该阵地仍有未来的值班安排，请先在值班表中把值班改到别处")
    station = store.to_station(row).model_copy(update={"status": "closed_for_good"})
    store.fill(row, station, ctx.clock.now())
    uow.session.add(row)
    await store.bump(uow.session, ctx.clock.now())
    return station


def _checked(
    rows: list[ImportRow], ctx: Context, report: ImportReport
) -> list[tuple[int, Station]]:
    stations: list[tuple[int, Station]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            station = check_station(
                row.station_id or station_id_for(row.draft), row.draft, ctx.district
            )
        except InvalidStation as exc:
            report.errors.append(RowError(row.line, exc.field, str(exc)))
            continue
        first = seen.setdefault(station.identity, row.line)
        if first != row.line:
            report.errors.append(RowError(row.line, "name", f"与第 {first} 行同名同地址"))
            continue
        stations.append((row.line, station))
    return stations


def _reject(report: ImportReport) -> None:
    if report.errors:
        errors = sorted(report.errors, key=lambda e: e.line)
        raise ImportRejected([(e.line, e.field, e.message) for e in errors])


async def import_stations(
    uow: UnitOfWork, rows: list[ImportRow], ctx: Context, unread: list[RowError] | None = None
) -> ImportReport:
    """Every row is checked first (`unread`: rows the file's reader could not read): any error,
    nothing is stored; the same file twice changes nothing."""
    report = ImportReport(errors=list(unread or ()))
    stations = _checked(rows, ctx, report)
    _reject(report)
    existing = {r.station_id: r for r in await store.all_rows(uow.session)}
    by_identity = {(r.name_key, r.address_key): r for r in existing.values()}
    now = ctx.clock.now()
    for line, station in stations:
        other = by_identity.get(station.identity)
        if other is not None and other.station_id != station.station_id:
            report.errors.append(
                RowError(line, "name", f"与已登记的阵地 {other.station_id} 同名同地址")
            )
            continue
        row = existing.get(station.station_id)
        if row is None:
            uow.session.add(store.new_row(station, now))
            report.created += 1
        elif store.same_as_stored(row, station.model_copy(update={"status": row.status})):
            report.unchanged += 1
        else:
            store.fill(row, station.model_copy(update={"status": row.status}), now)
            uow.session.add(row)
            report.updated += 1
    _reject(report)
    if report.created or report.updated:
        await store.bump(uow.session, now)
    return report


async def seed_stations(uow: UnitOfWork, rows: list[ImportRow], ctx: Context) -> bool:
    """Load the register file into an empty register (first start); False if already there."""
    if await store.revision(uow.session) > 0 or not await store.is_empty(uow.session):
        return False
    try:  # the writes too: a lookup between them flushes what is already added
        report = await import_stations(uow, rows, ctx)
        await uow.commit()
    except IntegrityError:  # another replica seeded it at the same moment
        return False
    log.info("stations_seeded", stations=report.created)
    return True
