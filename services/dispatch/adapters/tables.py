"""Dispatch's tables (its own metadata): hazards, their history, followers, timers, points,
stations and the duty seated at them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables
from shared.messaging.timers import timer_table
from shared.platform.audit.table import audit_table
from shared.platform.clock import utc_now
from shared.platform.idempotency import idempotency_table


class DispatchModel(SQLModel, registry=registry()):
    """Base of dispatch's tables: a metadata of its own."""


class Hazard(DispatchModel, table=True):
    __table_args__ = (sa.Index("ix_hazard_queue", "department_id", "state", "next_due"),)

    case_id: uuid.UUID = Field(primary_key=True)
    tracking_code: str = Field(max_length=20)
    state: str = Field(max_length=40, index=True)
    category: str = Field(max_length=40, index=True)
    jurisdiction: str | None = Field(default=None, max_length=40, index=True)
    urgency: str = Field(max_length=20)
    title: str = Field(max_length=200)
    latitude: float
    longitude: float
    reporter_id: str = Field(max_length=64, index=True)
    department_id: str | None = Field(default=None, max_length=64, index=True)
    department_name: str | None = Field(default=None, max_length=100)
    dispatched_at: datetime | None = None
    acknowledge_due: datetime | None = None
    resolve_due: datetime | None = None
    # The earliest target still to meet: orders the queue, "overdue first".
    next_due: datetime | None = None
    resolution_note: str = Field(default="", max_length=2000)
    resolution_photo_url: str | None = Field(default=None, max_length=500)
    resolved_at: datetime | None = None
    original_case_id: uuid.UUID | None = Field(default=None, index=True)
    history_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    filed_at: datetime
    updated_at: datetime = Field(default_factory=utc_now)


class HazardHistory(DispatchModel, table=True):
    """Append-only: one row per step of a hazard, in order (`position`)."""

    __tablename__ = "hazard_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str = Field(max_length=40)
    actor_role: str = Field(max_length=40)
    actor_id: str = Field(max_length=100)
    at: datetime = Field(default_factory=utc_now)
    note: str = Field(default="", max_length=2000)


class HazardEscalation(DispatchModel, table=True):
    """A hazard escalated to a supervisor (a town's or the district's): it reads and works it."""

    __tablename__ = "hazard_escalation"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "escalated_to", "target", "level", name="uq_escalation"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    escalated_to: str = Field(max_length=64, index=True)
    department_id: str | None = Field(default=None, max_length=64)
    target: str = Field(max_length=20)
    level: int
    due_at: datetime
    at: datetime = Field(default_factory=utc_now)


class Follower(DispatchModel, table=True):
    """A reporter whose duplicate was merged into this (original) hazard."""

    __table_args__ = (sa.UniqueConstraint("case_id", "party_id", name="uq_follower_case_party"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    party_id: str = Field(max_length=64)
    duplicate_case_id: uuid.UUID | None = None
    since: datetime = Field(default_factory=utc_now)


class DepartmentEntry(DispatchModel, table=True):
    """The directory as managed by API; seeded from the directory file on first start."""

    __tablename__ = "department"

    department_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    kind: str = Field(default="department", max_length=20)
    categories: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    jurisdictions: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    contacts: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON)
    escalation: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    active: bool = True
    updated_at: datetime = Field(default_factory=utc_now)


class CategoryPolicy(DispatchModel, table=True):
    """Per category: service targets and the points a verified report earns. `*` = default."""

    __tablename__ = "category_policy"

    category: str = Field(primary_key=True, max_length=40)
    acknowledge_hours: float
    resolve_days: float
    warn_before_fraction: float = 0.25
    escalation_step_hours: float = 24
    points: int = 10
    updated_at: datetime = Field(default_factory=utc_now)


class DirectoryRevision(DispatchModel, table=True):
    """One row, counted up in the transaction of every directory write: a process may route by
    the directory it read for as long as the revision it read with it stays the same."""

    __tablename__ = "directory_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = Field(default=0, sa_type=sa.BigInteger)


class PointsEntry(DispatchModel, table=True):
    """The append-only contribution ledger; one credit per (case, reason), ever."""

    __tablename__ = "points_entry"
    __table_args__ = (sa.UniqueConstraint("case_id", "reason", name="uq_points_case_reason"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    reporter_id: str = Field(max_length=64, index=True)
    case_id: uuid.UUID
    reason: str = Field(max_length=60)
    points: int
    category: str = Field(max_length=40)
    at: datetime


class DepartmentUpdate(DispatchModel, table=True):
    """Updates from a department's own system, once per (department, update_id)."""

    __tablename__ = "department_update"
    __table_args__ = (
        sa.UniqueConstraint("department_id", "update_id", name="uq_department_update"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    department_id: str = Field(max_length=64)
    update_id: str = Field(max_length=100)
    case_id: uuid.UUID = Field(index=True)
    action: str = Field(max_length=20)
    outcome: str = Field(max_length=300)
    at: datetime


class StationEntry(DispatchModel, table=True):
    """The station register (阵地地图); stations are closed for good, never deleted."""

    __tablename__ = "station"
    __table_args__ = (sa.UniqueConstraint("name_key", "address_key", name="uq_station_identity"),)

    station_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=40)
    town: str = Field(max_length=40, index=True)
    address: str = Field(max_length=200)
    # name and address without spaces, case-folded: one station per (name, address)
    name_key: str = Field(max_length=100)
    address_key: str = Field(max_length=200)
    latitude: float
    longitude: float
    opening_hours: str = Field(max_length=300)
    facilities: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    contact: str = Field(default="", max_length=60)
    status: str = Field(default="open", max_length=20)
    generated: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    closed_at: datetime | None = None


class StationDutyEntry(DispatchModel, table=True):
    """A roster shift that seats a duty body at a station, as the roster's last event said."""

    __tablename__ = "station_duty"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    station_id: str = Field(max_length=64, index=True)
    body_id: str = Field(max_length=64)
    body_name: str = Field(max_length=100)
    body_kind: str = Field(max_length=40)
    starts_on: date
    ends_on: date
    weekdays: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    from_time: str = Field(max_length=5)
    to_time: str = Field(max_length=5)


class DisputePlace(DispatchModel, table=True):
    """Where a dispute was filed from, when the filing gave a place (rounded to ~100 m), for the
    coverage of the 15-minute circle; no name, no contact."""

    __tablename__ = "dispute_place"

    case_id: uuid.UUID = Field(primary_key=True)
    latitude: float
    longitude: float
    town: str | None = Field(default=None, max_length=40)
    filed_at: datetime = Field(index=True)


class RegisterRevision(DispatchModel, table=True):
    """Bumped with every change of stations or duty; replicas rebuild their index when it moves.

    Row `stations` counts register changes; row `roster` holds the roster revision projected
    last (an older or replayed roster event changes nothing)."""

    __tablename__ = "register_revision"

    name: str = Field(primary_key=True, max_length=20)
    revision: int = Field(default=0, sa_type=sa.BigInteger)
    updated_at: datetime = Field(default_factory=utc_now)


class CompoundEntry(DispatchModel, table=True):
    """The compound register (骑手出入管理规范): a residential compound, the two bodies that
    answer for riders' access there, and whether it adopted the access rules."""

    __tablename__ = "compound"

    compound_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    # other names riders use for it (gate names, the old name), matched in a report's text
    aliases: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    town: str = Field(max_length=40, index=True)
    address: str = Field(default="", max_length=200)
    latitude: float
    longitude: float
    property_office_id: str = Field(max_length=64)
    residents_committee_id: str = Field(max_length=64)
    # "property_office" or "residents_committee": who leads on a report
    lead: str = Field(default="property_office", max_length=30)
    rules_adopted: bool = False
    adopted_on: date | None = None
    generated: bool = False
    updated_at: datetime = Field(default_factory=utc_now)


class CompoundReport(DispatchModel, table=True):
    """A compound-access report linked to its compound (once per case)."""

    __tablename__ = "compound_report"

    case_id: uuid.UUID = Field(primary_key=True)
    compound_id: str = Field(max_length=64, index=True)
    matched_by: str = Field(max_length=20)  # "name" or "location"
    distance_m: int | None = None
    lead_department_id: str | None = Field(default=None, max_length=64)
    support_department_id: str | None = Field(default=None, max_length=64)
    linked_at: datetime


class RewardEntry(DispatchModel, table=True):
    """The points exchange's catalogue (贡献换资源): a reward a station offers for points."""

    __tablename__ = "reward"

    reward_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=500)
    cost: int
    stock: int
    station_id: str = Field(max_length=64, index=True)
    valid_from: date
    valid_to: date
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class Redemption(DispatchModel, table=True):
    """A rider's redemption of a reward: once per (rider, request key), ever."""

    __tablename__ = "redemption"
    __table_args__ = (
        sa.UniqueConstraint("reporter_id", "request_key", name="uq_redemption_request"),
    )

    redemption_id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    reporter_id: str = Field(max_length=64, index=True)
    request_key: str = Field(max_length=100)
    reward_id: str = Field(max_length=64, index=True)
    station_id: str = Field(max_length=64, index=True)
    cost: int
    state: str = Field(default="reserved", max_length=20)  # reserved → handed_over
    redeemed_at: datetime
    handed_over_at: datetime | None = None
    handed_over_by: str | None = Field(default=None, max_length=64)


class PointsWallet(DispatchModel, table=True):
    """One row per rider who spent points: locked by a redemption, so two redemptions of one
    rider never both spend the same balance."""

    __tablename__ = "points_wallet"

    reporter_id: str = Field(primary_key=True, max_length=64)
    spends: int = 0


metadata = DispatchModel.metadata
KIT = kit_tables(metadata)
AUDIT = audit_table(metadata)  # append-only: who read or changed personal data
IDEMPOTENCY = idempotency_table(metadata)  # Idempotency-Key: first answers
TIMER = timer_table(metadata)
