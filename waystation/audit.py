"""`waystation audit`: a service's audit log, read from its own database (newest first)."""

from __future__ import annotations

import importlib
import uuid

from rich.table import Table

from shared.platform.audit.log import AuditLog, AuditQuery
from shared.platform.db import make_engine, make_sessions


async def audit_table(
    service: str, case_id: str | None, actor_id: str | None, action: str | None, limit: int
) -> Table:
    from waystation.services import SERVICES

    entry = SERVICES[service]
    settings = entry.settings()
    table = importlib.import_module(f"{entry.module}.adapters.tables").AUDIT
    engine = make_engine(settings.database_url)
    try:
        log = AuditLog(service, table, make_sessions(engine))
        rows = await log.query(
            AuditQuery(
                case_id=uuid.UUID(case_id) if case_id else None,
                actor_id=actor_id,
                action=action,
                limit=limit,
            )
        )
    finally:
        await engine.dispose()
    out = Table("seq", "at (UTC)", "role", "actor", "action", "case", "fields", "request")
    for r in rows:
        case = str(r.case_id) if r.case_id else f"{r.case_count or 0} case(s)"
        out.add_row(
            str(r.seq),
            r.at.isoformat(timespec="seconds"),
            r.role,
            r.actor_id,
            r.action,
            case,
            ", ".join(r.fields),
            r.request_id or "",
        )
    return out
