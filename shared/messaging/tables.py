"""The kit's tables, declared in each service's own metadata (each service owns its copy)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

# SQLite autoincrements only an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


@dataclass(frozen=True)
class KitTables:
    outbox: sa.Table
    processed: sa.Table
    case_sequence: sa.Table
    applied_sequence: sa.Table


def kit_tables(metadata: sa.MetaData) -> KitTables:
    """Declare `outbox` and `processed_event` on a service's metadata."""
    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("seq", _SEQ, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("stream", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        # W3C traceparent of the span that emitted the event: the relay publishes it later,
        # outside that span, and the consumer's span continues the same trace.
        sa.Column("traceparent", sa.String(64), nullable=True),
        sa.Index(
            "ix_outbox_unpublished",
            "seq",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )
    processed = sa.Table(
        "processed_event",
        metadata,
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("stream_entry", sa.String(40), nullable=False, default=""),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The producer's counter of events per case (assigns Envelope.sequence).
    case_sequence = sa.Table(
        "case_sequence",
        metadata,
        sa.Column("case_id", sa.Uuid(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    # The consumer's position in each producer's sequence of each case.
    applied_sequence = sa.Table(
        "applied_sequence",
        metadata,
        sa.Column("producer", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.Uuid(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    return KitTables(
        outbox=outbox,
        processed=processed,
        case_sequence=case_sequence,
        applied_sequence=applied_sequence,
    )
