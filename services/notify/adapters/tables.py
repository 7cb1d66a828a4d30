"""Notify's tables (its own metadata): known cases and parties, and the delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables
from shared.platform.audit.table import audit_table
from shared.platform.clock import utc_now
from shared.platform.idempotency import idempotency_table


class NotifyModel(SQLModel, registry=registry()):
    """Base of notify's tables: a metadata of its own."""


class KnownCase(NotifyModel, table=True):
    __tablename__ = "known_case"

    case_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(max_length=10)
    tracking_code: str = Field(max_length=12)
    title: str = Field(max_length=200)
    # Remembered from mediation/dispatch events that name them, for events that do not.
    mediator_id: str | None = Field(default=None, max_length=64)
    department_id: str | None = Field(default=None, max_length=64)
    # When the case ended (closed, rejected, withdrawn): the retention period runs from here.
    closed_at: datetime | None = None


class Contact(NotifyModel, table=True):
    """How to reach one party of one case: the minimum the filing event carried."""

    __table_args__ = (sa.UniqueConstraint("case_id", "party_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    role: str = Field(max_length=20)
    party_id: str = Field(max_length=64)
    display_name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone_masked: str | None = Field(default=None, max_length=20)
    locale: str = Field(default="zh-CN", max_length=10)
    # The party's own tracking code (a follower's is its own report's); None: the case's.
    tracking_code: str | None = Field(default=None, max_length=12)


class Delivery(NotifyModel, table=True):
    """One message to one party on one channel; the key is sent to the receiver."""

    __table_args__ = (sa.Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    event_id: uuid.UUID = Field(index=True)  # planning asks what an event already planned
    event_type: str = Field(max_length=100)
    case_id: uuid.UUID = Field(index=True)
    party_role: str = Field(max_length=20)
    party_id: str = Field(max_length=100, index=True)
    channel: str = Field(max_length=20)
    target: str = Field(default="", max_length=1000)
    locale: str = Field(max_length=10)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    critical: bool = False
    status: str = Field(default="queued", max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utc_now)
    lease_until: datetime | None = None
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utc_now)
    sent_at: datetime | None = None
    read_at: datetime | None = None


class Preference(NotifyModel, table=True):
    """A party's own choice: opt-out, channels, quiet hours (None: the service default)."""

    party_id: str = Field(primary_key=True, max_length=100)
    opted_out: bool = False
    channels: str | None = Field(default=None, max_length=200)  # comma-separated kinds
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    updated_at: datetime = Field(default_factory=utc_now)


metadata = NotifyModel.metadata
KIT = kit_tables(metadata)
AUDIT = audit_table(metadata)  # append-only: who read or changed personal data
IDEMPOTENCY = idempotency_table(metadata)  # Idempotency-Key: first answers
