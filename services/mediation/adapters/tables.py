"""Mediation's tables (its own metadata): disputes and their append-only history."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.messaging.tables import kit_tables


class MediationModel(SQLModel, registry=registry()):
    """Base of mediation's tables: a metadata of its own."""


def _now() -> datetime:
    return datetime.now(UTC)


class Dispute(MediationModel, table=True):
    case_id: uuid.UUID = Field(primary_key=True)
    tracking_code: str = Field(max_length=12)
    state: str = Field(max_length=40, index=True)
    dispute_type: str = Field(max_length=40, index=True)
    platform_worker: bool = False
    title: str = Field(max_length=200)
    complainant_id: str = Field(max_length=64)
    respondents: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    mediator_id: str | None = Field(default=None, max_length=64, index=True)
    mediator_name: str | None = Field(default=None, max_length=100)
    duty_body: str | None = Field(default=None, max_length=64)
    agreement: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    performance_deadline: date | None = None
    application_received_at: datetime
    created_at: datetime = Field(default_factory=_now, index=True)
    updated_at: datetime = Field(default_factory=_now)


class DisputeHistory(MediationModel, table=True):
    __tablename__ = "dispute_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str = Field(max_length=40)
    actor_role: str = Field(max_length=40)
    actor_id: str = Field(max_length=100)
    at: datetime = Field(default_factory=_now)
    note: str = Field(default="", max_length=1000)


metadata = MediationModel.metadata
KIT = kit_tables(metadata)
