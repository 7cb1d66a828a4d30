"""Intake's tables (its own metadata): the case registry, parties and the timeline projection."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables
from shared.platform.audit.table import audit_table
from shared.platform.clock import utc_now


class IntakeModel(SQLModel, registry=registry()):
    """Base of intake's tables: a metadata of its own, so no other service's table leaks in."""


class Case(IntakeModel, table=True):
    # A new hazard looks for an open one of its category near it (duplicates): the category
    # and a box around the place, so the lookup reads the cases in that box, not every case of
    # the category (37,571 rows and ~30 ms at 300,000 cases; 7 rows and 0.2 ms with it).
    __table_args__ = (sa.Index("ix_case_category_place", "category", "latitude", "longitude"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=10, index=True)
    tracking_code: str = Field(max_length=12, unique=True)
    status: str = Field(default="filed", max_length=40, index=True)
    status_at: datetime = Field(default_factory=utc_now)
    channel: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    category: str = Field(max_length=40)  # indexed first in ix_case_category_place
    jurisdiction: str | None = Field(default=None, max_length=40, index=True)
    urgency: str = Field(default="normal", max_length=20)
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field(default="", max_length=300)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    agency_responsible: str | None = Field(default=None, max_length=100)
    # Open311 reads come from these projected fields (dispatch's latest word on the hazard).
    department_id: str | None = Field(default=None, max_length=64)
    status_notes: str = Field(default="", max_length=2000)
    expected_at: datetime | None = None
    # Set when this hazard was merged into an open one (the reporter follows the original).
    duplicate_of: uuid.UUID | None = Field(default=None, index=True)
    # Set on a member case of a group dispute: the group's parent case.
    parent_case_id: uuid.UUID | None = Field(default=None, index=True)
    open311_token: str | None = Field(default=None, max_length=40, unique=True, index=True)
    media_url: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now, index=True)
    updated_at: datetime = Field(default_factory=utc_now)


class Party(IntakeModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    role: str = Field(max_length=20)
    party_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=100)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    org_code: str | None = Field(default=None, max_length=40)
    locale: str = Field(default="zh-CN", max_length=10)
    # The resident ID number: AES-GCM ciphertext, and its keyed hash for lookups (never kept in
    # clear).
    id_number_enc: str | None = Field(default=None, max_length=200)
    id_number_hash: str | None = Field(default=None, max_length=64, index=True)
    # Keyed hashes of the phone and e-mail: a rider's reports resolve to one party by them.
    phone_hash: str | None = Field(default=None, max_length=64, index=True)
    email_hash: str | None = Field(default=None, max_length=64, index=True)
    # Set when the retention job replaced this party's personal data with stubs.
    purged_at: datetime | None = None


class PartyPoints(IntakeModel, table=True):
    """A rider's contribution points as dispatch announced them (`points.credited`)."""

    __tablename__ = "party_points"

    party_id: str = Field(max_length=64, primary_key=True)
    balance: int = 0
    credited_at: datetime


class RiderCode(IntakeModel, table=True):
    """A one-time sign-in code sent to a rider: only its keyed hash is kept, good once."""

    __tablename__ = "rider_code"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    party_id: str = Field(max_length=64, index=True)
    code_hash: str = Field(max_length=64)
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)


class TimelineEntry(IntakeModel, table=True):
    __tablename__ = "timeline_entry"
    __table_args__ = (sa.Index("ix_timeline_case_time", "case_id", "occurred_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=False)
    event_id: uuid.UUID = Field(unique=True)
    event_type: str = Field(max_length=100)
    producer: str = Field(max_length=40)
    occurred_at: datetime
    actor_role: str = Field(max_length=40)
    actor_id: str = Field(max_length=100)
    text_zh: str = Field(max_length=500)
    text_en: str = Field(max_length=500)
    state: str | None = Field(default=None, max_length=40)
    # The event that caused this one (e.g. a department's posted update), if any.
    causation_id: uuid.UUID | None = None


class ApiKey(IntakeModel, table=True):
    """An Open311 client's or a department system's key; only its SHA-256 is kept."""

    __tablename__ = "api_key"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    key_hash: str = Field(max_length=64, unique=True)
    department_id: str | None = Field(default=None, max_length=64)
    # A service's key (`notify`): its token acts as that service, for the routes serving it.
    service: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utc_now)
    revoked_at: datetime | None = None


class IdempotencyRecord(IntakeModel, table=True):
    """The first response to a POST with an Idempotency-Key, stored with the change it made."""

    __tablename__ = "idempotency_record"

    key: str = Field(max_length=200, primary_key=True)
    route: str = Field(max_length=200, primary_key=True)
    fingerprint: str = Field(max_length=64)
    status_code: int
    media_type: str = Field(max_length=100)
    body: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utc_now)


class Attachment(IntakeModel, table=True):
    """A photo or document of a case; the bytes live on disk under their SHA-256."""

    __table_args__ = (sa.UniqueConstraint("case_id", "sha256", name="uq_attachment_case_hash"),)

    id: str = Field(max_length=32, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    sha256: str = Field(max_length=64, index=True)
    media_type: str = Field(max_length=100)
    size_bytes: int
    filename: str = Field(default="", max_length=200)
    uploaded_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utc_now)


class DepartmentUpdate(IntakeModel, table=True):
    """An Open311 service request update posted by a department's own system."""

    __tablename__ = "department_update"
    __table_args__ = (
        sa.UniqueConstraint("department_id", "update_id", name="uq_department_update"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    department_id: str = Field(max_length=64)
    update_id: str = Field(max_length=100)
    case_id: uuid.UUID = Field(index=True)
    status: str = Field(max_length=40)
    action: str = Field(max_length=20)
    description: str = Field(max_length=2000)
    updated_datetime: datetime
    event_id: uuid.UUID
    received_at: datetime = Field(default_factory=utc_now)


metadata = IntakeModel.metadata
KIT = kit_tables(metadata)
AUDIT = audit_table(metadata)  # append-only: who read or changed personal data


class UserAccount(IntakeModel, table=True):
    """A person who logs in; only an argon2 hash of the password is kept."""

    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=100, unique=True)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20)
    actor_id: str = Field(max_length=100)
    name: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utc_now)
    disabled_at: datetime | None = None
