"""Notify's HTTP response models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class DeliveryPublic(BaseModel):
    delivery_id: uuid.UUID
    event_type: str
    party_role: str
    party_id: str
    channel: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class InboxMessage(BaseModel):
    delivery_id: uuid.UUID
    case_id: uuid.UUID
    event_type: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
