"""Dispatch's HTTP request and response models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class ResolveIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="处置说明 What was done")


class HistoryItem(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    actor_id: str
    at: datetime
    note: str


class HazardPublic(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    state: str
    category: str
    jurisdiction: str | None
    urgency: str
    title: str
    latitude: float
    longitude: float
    department_id: str | None
    department_name: str | None
    acknowledge_due: datetime | None
    resolve_due: datetime | None
    resolution_note: str
    filed_at: datetime
    history: list[HistoryItem] = []
