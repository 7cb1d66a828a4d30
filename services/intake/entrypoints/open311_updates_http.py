"""Open311's service request updates (the FixMyStreet extension): the feed of state changes,
and the updates a department's own system posts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.intake.domain.commands import DepartmentUpdateIn
from services.intake.domain.errors import IntakeError
from services.intake.entrypoints import open311_bodies as bodies
from services.intake.entrypoints.dependencies import IntakeDep, RuntimeDep
from services.intake.entrypoints.idempotent import run_once
from services.intake.entrypoints.open311_errors import Open311Problem, invalid, problem
from services.intake.entrypoints.open311_format import render
from services.intake.entrypoints.open311_params import (
    PREFIX,
    check_jurisdiction,
    fmt_of,
    key_from,
    split_form,
    window,
)
from services.intake.service_layer import idempotency, updates, views
from shared.messaging.uow import UnitOfWork

# Behind the Open311 rate limit (app.py), keyed by the client's api_key.
router = APIRouter(prefix=PREFIX, tags=["open311"])


@router.get("/servicerequestupdates.{fmt}", summary="Updates since a date (FixMyStreet)")
async def list_updates(
    fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """Status changes of every request between start_date and end_date (≤ 90 days)."""
    fmt = fmt_of(fmt)
    params = dict(request.query_params)
    check_jurisdiction(params, fmt, intake.settings)
    start, end = window(params, fmt, intake.context.now())
    async with runtime.sessions() as session:
        entries, posted = await views.hazard_updates(session, start, end)
    data = sorted(
        [bodies.update(e) for e in entries] + [bodies.department_update(u) for u in posted],
        key=lambda u: (u["_at"], u["update_id"]),
    )[:1000]
    for item in data:
        del item["_at"]
    return render(fmt, "service_requests_updates", "request_update", data)


@router.post("/servicerequestupdates.{fmt}", summary="A department posts an update")
async def post_update(
    fmt: str, request: Request, runtime: RuntimeDep, intake: IntakeDep
) -> Response:
    """Inbound update from a department's system; idempotent on update_id."""
    fmt = fmt_of(fmt)
    form = await request.form(max_files=0, max_fields=100)
    fields, _attrs = split_form(list(form.multi_items()))
    check_jurisdiction(fields, fmt, intake.settings)
    key = await key_from(runtime, fields, fmt)
    if not key.department_id:
        raise Open311Problem(403, "api_key: not bound to a department", fmt)
    department_id = key.department_id
    try:
        cmd = DepartmentUpdateIn.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc, fmt) from None

    async def action(uow: UnitOfWork) -> Response:
        row = await updates.post_update(cmd, department_id, uow, intake.context.clock)
        # The id the department's system sent is the one the feed lists.
        body = [{"update_id": row.update_id}]
        return render(fmt, "service_request_updates", "request_update", body)

    digest = idempotency.fingerprint(fields)
    try:
        return await run_once(runtime, request, digest, action)
    except IntakeError as exc:
        raise problem(exc, fmt) from None
