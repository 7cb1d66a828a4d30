"""The directory in dispatch's database: read it as a domain Directory, write entries, seed it."""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.adapters.tables import CategoryPolicy, DepartmentEntry, DirectoryRevision
from services.dispatch.domain.directory import (
    ANYWHERE,
    DEFAULT_POINTS,
    Contact,
    Department,
    Directory,
    ServiceTarget,
)
from shared.platform.db import transaction_memo

DEFAULT_CATEGORY = ANYWHERE  # the policy row that applies to categories without their own


def to_department(row: DepartmentEntry) -> Department:
    return Department(
        department_id=row.department_id,
        name=row.name,
        kind=row.kind,
        categories=frozenset(row.categories),
        jurisdictions=frozenset(row.jurisdictions),
        contacts=tuple(Contact.model_validate(c) for c in row.contacts),
        escalation=tuple(row.escalation),
        active=row.active,
    )


def to_target(row: CategoryPolicy) -> ServiceTarget:
    return ServiceTarget(
        acknowledge_hours=row.acknowledge_hours,
        resolve_days=row.resolve_days,
        warn_before_fraction=row.warn_before_fraction,
        escalation_step_hours=row.escalation_step_hours,
    )


_MEMO = "dispatch.directory"
_WRITTEN = "dispatch.directory.written"  # this transaction wrote the directory
# Per database (engine): the directory last read, with the revision read before it.
_KEPT: weakref.WeakKeyDictionary[sa.Engine, tuple[int, Directory]] = weakref.WeakKeyDictionary()
_REVISION = sa.select(col(DirectoryRevision.revision)).where(col(DirectoryRevision.id) == 1)


async def read_directory(session: AsyncSession) -> Directory:
    """The whole directory as the routing rules see it.

    Read once per session: a batch of events is applied in one session, and every hazard in
    it is routed against the same directory (the writers below forget the memo). Between
    writes it is not read again at all: every write counts up `directory_revision` in its own
    transaction, and a process keeps the directory it read (per database) with the revision it
    read just before it, so one cheap read of the revision tells whether it still holds. The
    directory kept is never older than its revision (the revision is read first); a
    transaction that wrote the directory reads its own, uncommitted one and keeps it to itself.
    """
    memo = session.info.get(_MEMO)
    if memo is not None:
        return cast(Directory, memo)
    revision = (await session.execute(_REVISION)).scalar_one_or_none()
    engine = session.sync_session.get_bind()
    engine = engine if isinstance(engine, sa.Engine) else engine.engine
    kept = _KEPT.get(engine)
    if revision is not None and kept is not None and kept[0] == revision:
        directory = kept[1]
    else:
        directory = await _read(session)
        if revision is not None and not transaction_memo(session, _WRITTEN):
            _KEPT[engine] = (revision, directory)
    session.info[_MEMO] = directory
    return directory


async def _written(session: AsyncSession) -> None:
    """Count the directory's revision up, once per transaction that writes it."""
    session.info.pop(_MEMO, None)
    written = transaction_memo(session, _WRITTEN)
    if not written:
        await session.execute(
            sa.update(DirectoryRevision)
            .where(col(DirectoryRevision.id) == 1)
            .values(revision=col(DirectoryRevision.revision) + 1)
        )
        written["yes"] = True


async def _read(session: AsyncSession) -> Directory:
    rows = (await session.exec(select(DepartmentEntry))).all()
    policies = (await session.exec(select(CategoryPolicy))).all()
    default = next((p for p in policies if p.category == DEFAULT_CATEGORY), None)
    extra = {} if default is None else {"default_target": to_target(default)}
    return Directory(
        departments=tuple(to_department(r) for r in sorted(rows, key=lambda r: r.department_id)),
        targets={p.category: to_target(p) for p in policies if p.category != DEFAULT_CATEGORY},
        points={p.category: p.points for p in policies if p.category != DEFAULT_CATEGORY},
        default_points=default.points if default else DEFAULT_POINTS,
        **extra,
    )


async def put_department(session: AsyncSession, department: Department, at: datetime) -> None:
    await _written(session)
    row = await session.get(DepartmentEntry, department.department_id) or DepartmentEntry(
        department_id=department.department_id, name=department.name
    )
    row.name = department.name
    row.kind = department.kind
    row.categories = sorted(department.categories)
    row.jurisdictions = sorted(department.jurisdictions)
    row.contacts = [c.model_dump() for c in department.contacts]
    row.escalation = list(department.escalation)
    row.active = department.active
    row.updated_at = at
    session.add(row)


async def put_policy(
    session: AsyncSession, category: str, target: ServiceTarget, points: int, at: datetime
) -> None:
    await _written(session)
    row = await session.get(CategoryPolicy, category) or CategoryPolicy(
        category=category, acknowledge_hours=1, resolve_days=1
    )
    row.acknowledge_hours = target.acknowledge_hours
    row.resolve_days = target.resolve_days
    row.warn_before_fraction = target.warn_before_fraction
    row.escalation_step_hours = target.escalation_step_hours
    row.points = points
    row.updated_at = at
    session.add(row)


async def put_directory(session: AsyncSession, directory: Directory, at: datetime) -> None:
    """Upsert every entry and category policy of a directory document."""
    for department in directory.departments:
        await put_department(session, department, at)
    for category in set(directory.targets) | set(directory.points):
        await put_policy(
            session, category, directory.target(category), directory.points_for(category), at
        )
    await put_policy(
        session, DEFAULT_CATEGORY, directory.default_target, directory.default_points, at
    )


async def is_empty(session: AsyncSession) -> bool:
    count = (await session.exec(select(func.count(col(DepartmentEntry.department_id))))).one()
    return int(count) == 0
