"""Mediation's HTTP request and response models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class PerformanceIn(BaseModel):
    performed: bool
    note: str = Field(default="", max_length=1000)


class HistoryItem(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    actor_id: str
    at: datetime
    note: str


class DisputePublic(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    state: str
    dispute_type: str
    title: str
    mediator_id: str | None
    mediator_name: str | None
    duty_body: str | None
    agreement: dict[str, Any] | None
    performance_deadline: date | None
    application_received_at: datetime
    history: list[HistoryItem] = []
