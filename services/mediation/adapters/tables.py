"""Mediation's tables (its own metadata): disputes and their append-only history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables
from shared.messaging.timers import timer_table
from shared.platform.audit.table import audit_table
from shared.platform.clock import utc_now
from shared.platform.idempotency import idempotency_table


class MediationModel(SQLModel, registry=registry()):
    """Base of mediation's tables: a metadata of its own."""


class Dispute(MediationModel, table=True):
    # Statistics group by (filed_year, <dimension>): one composite index per dimension keeps
    # the committee's statistics an index range scan at a million cases.
    __table_args__ = (
        sa.Index("ix_dispute_stats_company", "filed_year", "company_key"),
        sa.Index("ix_dispute_stats_type", "filed_year", "dispute_type"),
        sa.Index("ix_dispute_stats_town", "filed_year", "town"),
        sa.Index("ix_dispute_stats_month", "filed_year", "filed_month"),
        sa.Index("ix_dispute_pattern", "company_key", "dispute_type", "created_at"),
        sa.Index("ix_dispute_state_created", "state", "created_at"),
        # the committee's list filtered by company, newest first
        sa.Index("ix_dispute_company_created", "company_key", "created_at"),
    )

    case_id: uuid.UUID = Field(primary_key=True)
    tracking_code: str = Field(max_length=12)
    state: str = Field(max_length=40)
    dispute_type: str = Field(max_length=40, index=True)
    platform_worker: bool = False
    title: str = Field(max_length=200)
    complainant_id: str = Field(max_length=64)
    complainant_name: str = Field(default="", max_length=100)
    respondents: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    mediator_id: str | None = Field(default=None, max_length=64, index=True)
    mediator_name: str | None = Field(default=None, max_length=100)
    duty_body: str | None = Field(default=None, max_length=64)
    agreement: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    performance_deadline: date | None = None
    application_received_at: datetime
    created_at: datetime = Field(default_factory=utc_now, index=True)
    updated_at: datetime = Field(default_factory=utc_now)
    # who and where, for statistics and pattern alerts
    town: str | None = Field(default=None, max_length=40)
    company: str = Field(default="", max_length=200)
    company_key: str = Field(default="", max_length=200)
    filed_on: date | None = None
    filed_year: int | None = None
    filed_month: str | None = Field(default=None, max_length=7)
    # the lifecycle's facts
    risk: bool = False
    objected_mediators: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    infringement_known_on: date | None = None
    mediation_extended_days: int = 0
    accepted_at: datetime | None = None
    agreement_effective_at: datetime | None = None
    days_to_agreement: int | None = None
    outcome: str | None = Field(default=None, max_length=40)
    referred_at: datetime | None = None
    # group disputes: member cases point at their parent; the parent holds representatives
    parent_case_id: uuid.UUID | None = Field(default=None, index=True)
    representatives: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # a group's parent: how many members (its headcount in the statistics); 0 for a lone case
    group_size: int = 0
    # a member's own claim, and its line of the group agreement's schedule
    claim_amount_yuan: float | None = None
    # every respondent, as [{"key", "name"}]: patterns and statistics count each of them
    companies: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    history_count: int = 0  # numbers the history rows: several steps share one instant


class DisputeHistory(MediationModel, table=True):
    __tablename__ = "dispute_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    position: int = 0
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str = Field(max_length=40)
    actor_role: str = Field(max_length=40)
    actor_id: str = Field(max_length=100)
    at: datetime = Field(default_factory=utc_now)
    note: str = Field(default="", max_length=1000)


class DisputeClock(MediationModel, table=True):
    """One row per (dispute, clock): its due day while open, how it ended."""

    __tablename__ = "dispute_clock"
    __table_args__ = (
        # By status, soonest first, in a total order (due day, case, clock): the overdue and
        # due-soon lists read a page of one status in order and stop (committee.py).
        sa.Index("ix_dispute_clock_status_due", "status", "due_on", "case_id", "clock"),
        # The committee's list of running clocks (open or paused), soonest first, in pages (at
        # 1M disputes a sort of every running clock took ~0.7 s; this index reads in order).
        sa.Index(
            "ix_dispute_clock_running",
            "due_on",
            "case_id",
            "clock",
            postgresql_where=sa.text("status IN ('open', 'paused')"),
            sqlite_where=sa.text("status IN ('open', 'paused')"),
        ),
    )

    case_id: uuid.UUID = Field(primary_key=True)
    clock: str = Field(primary_key=True, max_length=40)
    legal: bool = True
    started_on: date
    due_on: date | None = None
    expires_at: datetime | None = None
    status: str = Field(default="open", max_length=20)  # open, paused, stopped, expired
    calendar_source: str = Field(default="calendar-days", max_length=100)
    updated_at: datetime = Field(default_factory=utc_now)


class MediationSession(MediationModel, table=True):
    __tablename__ = "mediation_session"

    session_id: str = Field(primary_key=True, max_length=64)
    case_id: uuid.UUID = Field(index=True)
    starts_at: datetime
    place: str = Field(default="", max_length=200)
    online: bool = False
    attendees: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(default="scheduled", max_length=20)  # scheduled, held, cancelled
    summary: str = Field(default="", max_length=2000)
    reschedules: int = 0
    updated_at: datetime = Field(default_factory=utc_now)


class PatternAlertRecord(MediationModel, table=True):
    """A pattern alert; `seq` numbers a pair's alerts so replicas cannot raise one twice."""

    __tablename__ = "pattern_alert"
    __table_args__ = (sa.UniqueConstraint("company_key", "dispute_type", "seq"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    company_key: str = Field(max_length=200)
    company: str = Field(max_length=200)
    dispute_type: str = Field(max_length=40)
    seq: int
    count: int
    window_days: int
    case_ids: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    raised_at: datetime
    status: str = Field(default="open", max_length=20)  # open, closed
    closed_at: datetime | None = None
    # What the committee did about the pattern (e.g. an industry consultation), and who.
    close_note: str = Field(default="", max_length=2000)
    closed_by: str | None = Field(default=None, max_length=100)


class ConsultationRecord(MediationModel, table=True):
    """An industry consultation (行业协商) with a company's headquarters: opened from a pattern
    alert or on its own; its participants, sessions, the rule changes agreed, the follow-up."""

    __tablename__ = "consultation"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    title: str = Field(max_length=200)
    company: str = Field(max_length=200)
    company_key: str = Field(max_length=200, index=True)
    dispute_type: str = Field(max_length=40)
    alert_id: uuid.UUID | None = Field(default=None, index=True)
    participants: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    sessions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    agreed_changes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    change_effective_on: date | None = None
    follow_up_on: date | None = None
    status: str = Field(default="open", max_length=20)  # open, agreed, closed
    outcome: str | None = Field(default=None, max_length=30)
    outcome_note: str = Field(default="", max_length=2000)
    opened_by: str = Field(max_length=100)
    opened_at: datetime
    updated_at: datetime = Field(default_factory=utc_now)


class DisputeCompany(MediationModel, table=True):
    """One row per (dispute, respondent company): pattern alerts count every respondent."""

    __tablename__ = "dispute_company"
    __table_args__ = (
        sa.Index("ix_dispute_company_pattern", "company_key", "dispute_type", "created_at"),
    )

    case_id: uuid.UUID = Field(primary_key=True)
    company_key: str = Field(primary_key=True, max_length=200)
    company: str = Field(max_length=200)
    dispute_type: str = Field(max_length=40)
    created_at: datetime


class RosterRecord(MediationModel, table=True):
    """The duty roster as configured (file at first start, then the API)."""

    __tablename__ = "roster"

    id: int = Field(default=1, primary_key=True)
    body: dict[str, Any] = Field(sa_type=sa.JSON)
    updated_at: datetime = Field(default_factory=utc_now)
    updated_by: str = Field(default="system", max_length=100)


class MediatorStat(MediationModel, table=True):
    __tablename__ = "mediator_stat"

    mediator_id: str = Field(primary_key=True, max_length=64)
    last_assigned_at: datetime


class DisputeGrant(MediationModel, table=True):
    """A mediator the committee lets read a dispute not assigned to them (every read is checked
    against the object: the assigned mediator, or a grant)."""

    __tablename__ = "dispute_grant"

    case_id: uuid.UUID = Field(primary_key=True)
    mediator_id: str = Field(primary_key=True, max_length=64)
    granted_by: str = Field(max_length=100)
    granted_at: datetime = Field(default_factory=utc_now)


class CalendarYearRecord(MediationModel, table=True):
    """An official holiday arrangement an administrator loaded (overrides the package)."""

    __tablename__ = "calendar_year"

    year: int = Field(primary_key=True)
    holidays: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    workdays: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    source: str = Field(max_length=100)
    loaded_at: datetime = Field(default_factory=utc_now)


class DisputeQueueCount(MediationModel, table=True):
    """Rollup: disputes per (state, mediator); mediator "" when none carries the case."""

    __tablename__ = "dispute_queue_count"

    state: str = Field(primary_key=True, max_length=40)
    mediator_id: str = Field(primary_key=True, max_length=64)
    n: int = 0


class DisputeStat(MediationModel, table=True):
    """Rollup: the committee's counts per (period, dimension, key); see domain/rollup.py."""

    __tablename__ = "dispute_stat"

    period: str = Field(primary_key=True, max_length=7)  # "2026" or "2026-03"
    dimension: str = Field(primary_key=True, max_length=20)
    key: str = Field(primary_key=True, max_length=200)
    label: str = Field(default="", max_length=200)
    filed: int = 0
    accepted: int = 0
    agreed: int = 0
    failed: int = 0
    expired: int = 0
    referred: int = 0
    groups: int = 0  # group disputes among `filed`
    workers: int = 0  # headcount: a lone dispute's one worker, a group's members


class DisputeStatDays(MediationModel, table=True):
    """Rollup: how many agreements took `days` days, per (period, dimension, key)."""

    __tablename__ = "dispute_stat_days"

    period: str = Field(primary_key=True, max_length=7)
    dimension: str = Field(primary_key=True, max_length=20)
    key: str = Field(primary_key=True, max_length=200)
    days: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    n: int = 0


metadata = MediationModel.metadata
KIT = kit_tables(metadata)
AUDIT = audit_table(metadata)  # append-only: who read or changed personal data
IDEMPOTENCY = idempotency_table(metadata)  # Idempotency-Key: first answers
TIMER = timer_table(metadata)
