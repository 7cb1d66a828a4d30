"""Managing the directory: seed it from the file once, then change it entry by entry by API."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import IntegrityError

from services.dispatch.adapters import directory_store as store
from services.dispatch.domain.directory import Department, Directory, ServiceTarget
from services.dispatch.domain.errors import InvalidDirectory, NotFound
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock

log = structlog.get_logger(__name__)


async def seed(uow: UnitOfWork, directory: Directory, clock: Clock) -> bool:
    """Load the directory file into an empty directory (first start); False if already there."""
    if not await store.is_empty(uow.session):
        return False
    directory.check()
    try:  # the writes too: the second entry's lookup flushes the first
        await store.put_directory(uow.session, directory, clock.now())
        await uow.commit()
    except IntegrityError:  # another replica seeded it at the same moment
        log.info("directory_seeded_elsewhere")
        return False
    log.info("directory_seeded", departments=len(directory.departments))
    return True


async def put_department(uow: UnitOfWork, department: Department, clock: Clock) -> Department:
    """Create or replace an entry; the directory must stay consistent."""
    current = await store.read_directory(uow.session)
    others = tuple(d for d in current.departments if d.department_id != department.department_id)
    current.model_copy(update={"departments": (*others, department)}).check()
    await store.put_department(uow.session, department, clock.now())
    return department


async def deactivate(uow: UnitOfWork, department_id: str, clock: Clock) -> Department:
    """Entries are never deleted (tickets and history name them): they stop taking work."""
    current = await store.read_directory(uow.session)
    entry = current.get(department_id)
    if entry is None:
        raise NotFound(department_id)
    retired = entry.model_copy(update={"active": False})
    await store.put_department(uow.session, retired, clock.now())
    return retired


async def put_policy(
    uow: UnitOfWork, category: str, target: ServiceTarget, points: int, clock: Clock
) -> None:
    if points < 0:
        raise InvalidDirectory("points", "points cannot be negative")
    await store.put_policy(uow.session, category, target, points, clock.now())


async def import_directory(uow: UnitOfWork, directory: Directory, clock: Clock) -> int:
    """Upsert a whole directory document (the file's format); entries not in it stay as they are."""
    current = await store.read_directory(uow.session)
    incoming = {d.department_id for d in directory.departments}
    merged = (
        *(d for d in current.departments if d.department_id not in incoming),
        *directory.departments,
    )
    current.model_copy(update={"departments": merged}).check()
    await store.put_directory(uow.session, directory, clock.now())
    return len(directory.departments)
