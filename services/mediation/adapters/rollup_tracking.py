"""Keeps mediation's rollups in step with its disputes, in the transaction that changes them.

Mapper events see every insert, update and delete of a `Dispute` that any session flushes,
with the values before and after; the difference of the two contributions (domain/rollup.py)
is gathered in `session.info` over the transaction's flushes. Just before COMMIT it is written
as one upsert per rollup (`n = n + excluded.n`, INSERT ... ON CONFLICT on PostgreSQL and
SQLite), rows in key order: replicas never lose an increment nor deadlock on the counters,
and hold the counter rows only while committing. A rollback drops the gathered changes with
the rest, and a redelivered event changes no dispute, so it moves no figure.

Writes that bypass the ORM (a bulk load) leave the rollups behind: `waystation rollups
rebuild` recounts them (service_layer/rollups.py). No code path uses SAVEPOINTs; one that
rolled a savepoint back would keep its gathered changes, so it must not be added silently.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, SessionTransaction, object_session

from services.mediation.adapters.tables import (
    Dispute,
    DisputeQueueCount,
    DisputeStat,
    DisputeStatDays,
)
from services.mediation.domain.rollup import (
    DAYS,
    MEASURES,
    QUEUE,
    STAT,
    TRACKED,
    Cell,
    delta,
    labels,
)
from shared.platform.db import conflict_insert

PENDING = "mediation.rollup"  # session.info: {"cells": {...}, "labels": {...}}
QUEUES = DisputeQueueCount.__table__  # type: ignore[attr-defined]
STATS = DisputeStat.__table__  # type: ignore[attr-defined]
HISTOGRAM = DisputeStatDays.__table__  # type: ignore[attr-defined]
CHUNK = 500  # rows per INSERT: well under either database's parameter limit


def _before(target: Dispute) -> dict[str, Any]:
    """The tracked values as committed before this flush."""
    facts = {}
    attrs = sa.inspect(target).attrs
    for name in TRACKED:
        history = attrs[name].history
        if history.deleted:
            facts[name] = history.deleted[0]
        elif history.unchanged:
            facts[name] = history.unchanged[0]
        else:  # cannot happen with active history below; refuse rather than drift
            raise RuntimeError(f"rollup: previous {name} of dispute {target.case_id} unknown")
    return facts


def _now(target: Dispute) -> dict[str, Any]:
    return {name: getattr(target, name) for name in TRACKED}


def _gather(target: Dispute, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session = object_session(target)
    if session is None:  # flushed objects always have one
        raise RuntimeError("rollup: a flushed dispute without a session")
    pending = session.info.setdefault(PENDING, {"cells": {}, "labels": {}})
    cells: dict[Cell, int] = pending["cells"]
    for cell, n in delta(before, after).items():
        cells[cell] = cells.get(cell, 0) + n
    known = labels(before)
    for group, name in labels(after).items():
        if known.get(group) != name:  # a new group or a renamed company
            pending["labels"][group] = max(pending["labels"].get(group, ""), name)


def _inserted(_mapper: Mapper[Any], _conn: Connection, target: Dispute) -> None:
    _gather(target, None, _now(target))


def _updated(_mapper: Mapper[Any], _conn: Connection, target: Dispute) -> None:
    _gather(target, _before(target), _now(target))


def _deleted(_mapper: Mapper[Any], _conn: Connection, target: Dispute) -> None:
    _gather(target, _before(target), None)


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


def _write_rollups(session: Session) -> None:
    session.flush()  # the commit would flush next anyway; its changes must be gathered first
    pending = session.info.pop(PENDING, None)
    if pending:
        apply(session.connection(), pending["cells"], pending["labels"])


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def installed() -> bool:
    return event.contains(Dispute, "after_insert", _inserted)


def install() -> None:
    """Start tracking: mediation's app calls this once at start (a second call does nothing).

    Importing the models installs nothing, so a process that only reads them (the operator
    CLI, a migration) pays no listener; every process that changes disputes goes through
    `create_app`, which installs this before its first transaction.
    """
    if installed():
        return
    event.listen(Dispute, "after_insert", _inserted)
    event.listen(Dispute, "after_update", _updated)
    event.listen(Dispute, "after_delete", _deleted)
    # Active history: setting a tracked attribute never loaded loads its old value first.
    for name in TRACKED:
        event.listen(getattr(Dispute, name), "set", _keep_old_value, active_history=True)
    event.listen(Session, "before_commit", _write_rollups)
    event.listen(Session, "after_transaction_end", _forget)


def apply(conn: Connection, cells: dict[Cell, int], names: dict[Any, str]) -> None:
    """Add the gathered changes to the rollup tables: three upserts at most."""
    queues: dict[tuple[Any, ...], dict[str, int]] = {}
    stats: dict[tuple[Any, ...], dict[str, int]] = {group: {} for group in names}
    days: dict[tuple[Any, ...], dict[str, int]] = {}
    for (rollup, key, measure), n in cells.items():
        if n:
            into = {QUEUE: queues, STAT: stats, DAYS: days}[rollup]
            into.setdefault(key, {})[measure] = n
    _upsert(conn, QUEUES, ("state", "mediator_id"), ("n",), queues)
    _upsert(conn, STATS, ("period", "dimension", "key"), MEASURES, stats, names)
    _upsert(conn, HISTOGRAM, ("period", "dimension", "key", "days"), ("n",), days)


def _upsert(
    conn: Connection,
    table: sa.Table,
    keys: tuple[str, ...],
    measures: tuple[str, ...],
    rows: dict[tuple[Any, ...], dict[str, int]],
    names: dict[Any, str] | None = None,
) -> None:
    if not rows:
        return
    postgres = conn.dialect.name == "postgresql"
    insert = conflict_insert(conn.dialect.name)
    greatest = sa.func.greatest if postgres else sa.func.max  # SQLite's max(a, b) is scalar
    values = [
        dict(zip(keys, key, strict=True))
        | {m: amounts.get(m, 0) for m in measures}
        | ({"label": names.get(key, "")} if names is not None else {})
        for key, amounts in sorted(rows.items())  # one lock order for every writer
    ]
    for start in range(0, len(values), CHUNK):
        stmt = insert(table).values(values[start : start + CHUNK])
        moved: dict[str, Any] = {m: table.c[m] + stmt.excluded[m] for m in measures}
        if names is not None:
            moved["label"] = greatest(table.c.label, stmt.excluded.label)
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=moved))
