"""Recording and reading a service's audit log.

A change records its entry in the unit of work that makes it (`add`), so both commit or
neither does; a read records in a short transaction of its own (`read`). A list records one
entry per request (its case ids and count), not one per row. The request id comes from the
request's logging context (shared.platform.observability binds it), the caller from the Actor, or,
when the route bound one with `AuditCaller`, from the request.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from shared.contracts.envelope import Actor
from shared.platform.audit.record import ACTIONS, MAX_CASE_IDS, AuditRecord, field_names
from shared.platform.clock import utc_now

SYSTEM = Actor(role="system", id="system")


@dataclass(frozen=True)
class Caller:
    """Who the current request acts for, its route template and the case in its path."""

    actor: Actor
    route: str | None
    case_id: uuid.UUID | None = None


_CALLER: ContextVar[Caller | None] = ContextVar("audit_caller", default=None)


def bind_caller(
    actor: Actor, route: str | None, case_id: uuid.UUID | None = None
) -> Token[Caller | None]:
    """Name the request's caller for entries recorded deeper down (see `AuditCaller`)."""
    return _CALLER.set(Caller(actor, route, case_id))


def unbind_caller(token: Token[Caller | None]) -> None:
    with contextlib.suppress(ValueError):  # set in another context: nothing of ours to undo
        _CALLER.reset(token)


def current_caller() -> Caller | None:
    return _CALLER.get()


def request_id() -> str | None:
    """The X-Request-Id of the request being served (None outside a request)."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value)[:100] if value else None


@dataclass(frozen=True)
class AuditQuery:
    case_id: uuid.UUID | None = None
    actor_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None
    limit: int = 100


class AuditLog:
    """One service's audit log: its table and its sessions."""

    def __init__(
        self, service: str, table: sa.Table, sessions: async_sessionmaker[Any] | None = None
    ) -> None:
        self.service = service
        self.table = table
        self._sessions = sessions
        # Built once: an entry is its parameters, the compiled INSERT comes from the cache.
        self._insert = sa.insert(table)

    def entry(
        self,
        action: str,
        *,
        actor: Actor | None = None,
        case_id: uuid.UUID | None = None,
        fields: Iterable[str] = (),
        case_ids: Iterable[uuid.UUID] | None = None,
        route: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """The row to insert; raises on an unknown action, a missing caller or a non-name."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        caller = current_caller()
        actor = actor or (caller.actor if caller else None)
        if actor is None:
            raise LookupError("an audit entry needs an actor (pass one or bind the caller)")
        if case_id is None and caller is not None and case_ids is None:
            case_id = caller.case_id  # the case the route names in its path
        listed = [str(uuid.UUID(str(c))) for c in case_ids] if case_ids is not None else None
        return {
            "at": at or utc_now(),
            "service": self.service,
            "actor_id": actor.id[:100],
            "role": actor.role,
            "case_id": case_id,
            "action": action,
            "fields": field_names(fields),
            "case_ids": listed[:MAX_CASE_IDS] if listed is not None else None,
            "case_count": len(listed) if listed is not None else None,
            "request_id": request_id(),
            "route": (route or (caller.route if caller else None) or "")[:200] or None,
        }

    async def add(self, session: AsyncSession, action: str, **kw: Any) -> None:
        """Record inside the caller's transaction (its unit of work commits it)."""
        await session.execute(self._insert, self.entry(action, **kw))

    async def add_each(
        self,
        session: AsyncSession,
        action: str,
        fields_by_case: dict[uuid.UUID, list[str]],
        **kw: Any,
    ) -> None:
        """One entry per case (e.g. a purge batch) inside the caller's transaction."""
        if fields_by_case:
            rows = [
                self.entry(action, case_id=case_id, fields=fields, **kw)
                for case_id, fields in fields_by_case.items()
            ]
            await session.execute(self._insert, rows)

    def on_commit(self, session: AsyncSession, action: str, **kw: Any) -> None:
        """Record when this session's transaction commits (for a use case that commits itself).

        The entry is written by the session's before_commit hook, inside that transaction: a
        use case that fails before committing leaves no entry.
        """
        row = self.entry(action, **kw)

        def write(sync_session: Session) -> None:
            sync_session.execute(sa.insert(self.table).values(row))

        sa.event.listen(session.sync_session, "before_commit", write, once=True)

    async def read(self, action: str = "read", **kw: Any) -> None:
        """Record a read in a short transaction of its own."""
        row = self.entry(action, **kw)
        async with self._session() as session, session.begin():
            await session.execute(sa.insert(self.table).values(row))

    async def query(self, q: AuditQuery) -> list[AuditRecord]:
        """Entries matching the filters, newest first, at most `q.limit`."""
        t = self.table
        stmt = sa.select(t).order_by(t.c.seq.desc()).limit(q.limit)
        for column, value in (
            (t.c.case_id, q.case_id),
            (t.c.actor_id, q.actor_id),
            (t.c.action, q.action),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if q.since is not None:
            stmt = stmt.where(t.c.at >= q.since)
        if q.until is not None:
            stmt = stmt.where(t.c.at < q.until)
        if q.before is not None:
            stmt = stmt.where(t.c.seq < q.before)
        async with self._session() as session:
            rows = (await session.execute(stmt)).mappings().all()
        return [
            AuditRecord.model_validate({**row, "case_ids": row["case_ids"] or []}) for row in rows
        ]

    def _session(self) -> Any:
        if self._sessions is None:
            raise RuntimeError("this AuditLog was made without sessions")
        return self._sessions()
