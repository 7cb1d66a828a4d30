"""Dispatch's tables (its own metadata): hazards and their append-only history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables


class DispatchModel(SQLModel, registry=registry()):
    """Base of dispatch's tables: a metadata of its own."""


def _now() -> datetime:
    return datetime.now(UTC)


class Hazard(DispatchModel, table=True):
    case_id: uuid.UUID = Field(primary_key=True)
    tracking_code: str = Field(max_length=12)
    state: str = Field(max_length=40, index=True)
    category: str = Field(max_length=40, index=True)
    jurisdiction: str | None = Field(default=None, max_length=40, index=True)
    urgency: str = Field(max_length=20)
    title: str = Field(max_length=200)
    latitude: float
    longitude: float
    reporter_id: str = Field(max_length=64)
    department_id: str | None = Field(default=None, max_length=64, index=True)
    department_name: str | None = Field(default=None, max_length=100)
    acknowledge_due: datetime | None = None
    resolve_due: datetime | None = None
    resolution_note: str = Field(default="", max_length=2000)
    filed_at: datetime
    updated_at: datetime = Field(default_factory=_now)


class HazardHistory(DispatchModel, table=True):
    __tablename__ = "hazard_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str = Field(max_length=40)
    actor_role: str = Field(max_length=40)
    actor_id: str = Field(max_length=100)
    at: datetime = Field(default_factory=_now)
    note: str = Field(default="", max_length=2000)


metadata = DispatchModel.metadata
KIT = kit_tables(metadata)
