"""The directory API ("electronic yellow pages"): staff and departments read it; an admin edits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from services.dispatch.adapters.directory_store import DEFAULT_CATEGORY
from services.dispatch.domain.directory import Department, Directory, ServiceTarget
from services.dispatch.domain.errors import DispatchError, NoDepartment
from services.dispatch.entrypoints.dependencies import ActorDep, ContextDep, RuntimeDep
from services.dispatch.entrypoints.errors import http_error
from services.dispatch.entrypoints.schemas import DepartmentIn, DepartmentOut, PolicyIn, PolicyOut
from services.dispatch.service_layer import directory_admin, views
from shared.contracts.envelope import Actor
from shared.platform.auth.dependency import AUTHENTICATED
from shared.platform.runtime import ServiceRuntime

EntryId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Category = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^(\*|[a-z0-9_]+)$")]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only an admin changes the directory"},
    404: {"description": "No such entry"},
    422: {"description": "The change would break the directory (the body names the field)"},
}


# The admin manages the directory; officers, the committee and departments consult it
# (routing by hand, escalation contacts). Runners and companies have no use for it.
READERS = frozenset({"admin", "intake_officer", "committee", "department"})


def _reader(actor: ActorDep) -> None:
    if actor.role not in READERS:
        raise HTTPException(403, f"a {actor.role} may not read the directory")


READ = [Depends(_reader)]


def _admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise HTTPException(403, "only an admin manages the directory")


def _out(d: Department) -> DepartmentOut:
    return DepartmentOut(
        department_id=d.department_id,
        name=d.name,
        kind=d.kind,
        categories=sorted(d.categories),
        jurisdictions=sorted(d.jurisdictions),
        contacts=list(d.contacts),
        escalation=list(d.escalation),
        active=d.active,
    )


async def _directory(runtime: ServiceRuntime) -> Directory:
    async with runtime.sessions() as session:
        return await views.directory(session)


router = APIRouter(prefix="/api/v1/directory", tags=["directory"], dependencies=AUTHENTICATED)


@router.get("/departments", response_model=list[DepartmentOut], dependencies=READ)
async def list_departments(
    runtime: RuntimeDep,
    category: Annotated[str | None, Query(max_length=40)] = None,
    include_inactive: bool = False,
) -> list[DepartmentOut]:
    """Every entry (departments and the supervisors escalations go to)."""
    entries = (await _directory(runtime)).departments
    return [
        _out(d)
        for d in entries
        if (include_inactive or d.active) and (category is None or category in d.categories)
    ]


@router.get(
    "/departments/{department_id}",
    response_model=DepartmentOut,
    responses=ERRORS,
    dependencies=READ,
)
async def get_department(department_id: EntryId, runtime: RuntimeDep) -> DepartmentOut:
    entry = (await _directory(runtime)).get(department_id)
    if entry is None:
        raise HTTPException(404, "no such entry")
    return _out(entry)


@router.put("/departments/{department_id}", response_model=DepartmentOut, responses=ERRORS)
async def put_department(
    department_id: EntryId,
    body: DepartmentIn,
    actor: ActorDep,
    runtime: RuntimeDep,
    ctx: ContextDep,
) -> DepartmentOut:
    """Create or replace an entry (admin)."""
    _admin(actor)
    department = Department(department_id=department_id, **body.model_dump())
    try:
        async with runtime.uow() as uow:
            await directory_admin.put_department(uow, department, ctx.clock)
            await uow.commit()
    except DispatchError as exc:
        raise http_error(exc) from exc
    return _out(department)


@router.delete("/departments/{department_id}", response_model=DepartmentOut, responses=ERRORS)
async def retire_department(
    department_id: EntryId, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> DepartmentOut:
    """Stop routing to an entry (admin); it stays on the record of past tickets."""
    _admin(actor)
    try:
        async with runtime.uow() as uow:
            retired = await directory_admin.deactivate(uow, department_id, ctx.clock)
            await uow.commit()
    except DispatchError as exc:
        raise http_error(exc) from exc
    return _out(retired)


@router.get("/categories", response_model=list[PolicyOut], dependencies=READ)
async def list_policies(runtime: RuntimeDep) -> list[PolicyOut]:
    """Service targets and points per category (`*` applies to the rest)."""
    d = await _directory(runtime)
    categories = sorted(set(d.targets) | set(d.points))
    rows = [(c, d.target(c), d.points_for(c)) for c in categories]
    rows.append((DEFAULT_CATEGORY, d.default_target, d.default_points))
    return [PolicyOut(category=c, points=p, **t.model_dump()) for c, t, p in rows]


@router.put("/categories/{category}", response_model=PolicyOut, responses=ERRORS)
async def put_policy(
    category: Category, body: PolicyIn, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> PolicyOut:
    """Set a category's targets and points (admin); new due times apply to new dispatches."""
    _admin(actor)
    target = ServiceTarget(**body.model_dump(exclude={"points"}))
    async with runtime.uow() as uow:
        await directory_admin.put_policy(uow, category, target, body.points, ctx.clock)
        await uow.commit()
    return PolicyOut(category=category, **body.model_dump())


@router.post("/import", responses=ERRORS)
async def import_directory(
    document: Directory, actor: ActorDep, runtime: RuntimeDep, ctx: ContextDep
) -> dict[str, int]:
    """Upsert a whole directory document, in the directory file's format (admin)."""
    _admin(actor)
    try:
        async with runtime.uow() as uow:
            count = await directory_admin.import_directory(uow, document, ctx.clock)
            await uow.commit()
    except DispatchError as exc:
        raise http_error(exc) from exc
    return {"departments": count}


@router.get("/route", response_model=DepartmentOut, responses=ERRORS, dependencies=READ)
async def preview_route(
    category: Annotated[str, Query(max_length=40)],
    runtime: RuntimeDep,
    jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
) -> DepartmentOut:
    """Which department a hazard of this category in this town goes to."""
    try:
        return _out((await _directory(runtime)).route(category, jurisdiction))
    except NoDepartment as exc:
        raise HTTPException(404, str(exc)) from exc
