"""GET /api/v1/audit on every service (admins only), and the dependency naming the caller."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import AwareDatetime

from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog, AuditQuery, bind_caller, unbind_caller
from shared.platform.audit.record import Action, AuditPage
from shared.platform.auth.dependency import current_actor, require_roles


async def audit_caller(
    request: Request, actor: Annotated[Actor, Depends(current_actor)]
) -> AsyncIterator[Actor]:
    """A router dependency: entries recorded while serving the request name this caller.

    (Async on purpose: it runs in the request's own context, so the binding is seen below;
    it is undone when the request ends.)
    """
    route = getattr(request.scope.get("route"), "path", None)
    try:
        case_id = uuid.UUID(str(request.path_params["case_id"]))
    except (KeyError, ValueError):
        case_id = None
    token = bind_caller(actor, route, case_id)
    try:
        yield actor
    finally:
        unbind_caller(token)


AuditCaller = [Depends(audit_caller)]


def _utc(value: datetime | None, name: str) -> datetime | None:
    try:
        return value.astimezone(UTC) if value else None
    except OverflowError:
        raise HTTPException(422, f"{name}: out of range") from None


def audit_router(log: AuditLog) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["audit"])

    @router.get(
        "/audit",
        response_model=AuditPage,
        summary="审计日志 The audit log of personal-data access (admins)",
        responses={403: {"description": "Not an admin"}},
    )
    async def audit_entries(
        _admin: Annotated[Actor, Depends(require_roles("admin"))],
        case_id: uuid.UUID | None = None,
        actor_id: Annotated[str | None, Query(pattern=r"^[\w.:@-]{1,100}$")] = None,
        action: Action | None = None,
        since: AwareDatetime | None = None,
        until: AwareDatetime | None = None,
        before: Annotated[
            int | None, Query(ge=1, le=2**63 - 1, description="next_cursor of the last page")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> AuditPage:
        """Who read or changed personal data, newest first: names of fields, never values."""
        rows = await log.query(
            AuditQuery(
                case_id=case_id,
                actor_id=actor_id,
                action=action,
                since=_utc(since, "since"),
                until=_utc(until, "until"),
                before=before,
                limit=limit + 1,
            )
        )
        page = rows[:limit]
        return AuditPage(items=page, next_cursor=page[-1].seq if len(rows) > limit else None)

    return router
