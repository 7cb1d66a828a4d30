"""The `audit_entry` table, declared in each service's own metadata, append-only by trigger."""

from __future__ import annotations

import sqlalchemy as sa

TABLE = "audit_entry"
# SQLite autoincrements only an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_REFUSED = "audit_entry is append-only"


def audit_table(metadata: sa.MetaData) -> sa.Table:
    """Declare `audit_entry` on a service's metadata (its migration creates it and its guard)."""
    table = sa.Table(
        TABLE,
        metadata,
        sa.Column("seq", _SEQ, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=True),
        sa.Column("case_count", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("route", sa.String(200), nullable=True),
        sa.Index("ix_audit_entry_case_id_seq", "case_id", "seq"),
        sa.Index("ix_audit_entry_actor_id_seq", "actor_id", "seq"),
    )
    # Tables made by metadata.create_all (test harnesses) get the same guard as migrations.
    for dialect in ("sqlite", "postgresql"):
        for statement in append_only_ddl(dialect):
            ddl = sa.DDL(statement)  # type: ignore[no-untyped-call]
            sa.event.listen(table, "after_create", ddl.execute_if(dialect=dialect))
    return table


def append_only_ddl(dialect: str) -> list[str]:
    """Statements making the database itself refuse UPDATE and DELETE of audit rows."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION audit_entry_refuse() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_REFUSED}' USING ERRCODE = 'insufficient_privilege'; "
            "END $$",
            "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON "
            f"{TABLE} FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse()",
            # TRUNCATE skips row triggers; refuse it too.
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "
            f"{TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse()",
        ]
    raise ValueError(f"no append-only guard for {dialect}")


def drop_append_only_ddl(dialect: str) -> list[str]:
    """The guard's undoing, for a migration's downgrade."""
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS audit_entry_no_{v}" for v in ("update", "delete")]
    return [
        f"DROP TRIGGER IF EXISTS audit_entry_no_change ON {TABLE}",
        f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS audit_entry_refuse()",
    ]
