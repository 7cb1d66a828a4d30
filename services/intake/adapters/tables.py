"""Intake's tables (its own metadata): the case registry, parties and the timeline projection."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables


class IntakeModel(SQLModel, registry=registry()):
    """Base of intake's tables: a metadata of its own, so no other service's table leaks in."""


def _now() -> datetime:
    return datetime.now(UTC)


class Case(IntakeModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=10, index=True)
    tracking_code: str = Field(max_length=12, unique=True)
    status: str = Field(default="filed", max_length=40, index=True)
    status_at: datetime = Field(default_factory=_now)
    channel: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    category: str = Field(max_length=40, index=True)
    jurisdiction: str | None = Field(default=None, max_length=40, index=True)
    urgency: str = Field(default="normal", max_length=20)
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field(default="", max_length=300)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    agency_responsible: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=_now, index=True)
    updated_at: datetime = Field(default_factory=_now)


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


metadata = IntakeModel.metadata
KIT = kit_tables(metadata)
