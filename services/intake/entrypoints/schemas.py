"""Response models of intake's HTTP API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class Filed(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    status: str
    kind: str
    jurisdiction: str | None = None


class TimelineItem(BaseModel):
    occurred_at: datetime
    event_type: str
    producer: str
    actor_role: str
    text_zh: str
    text_en: str
    state: str | None


class PartyPublic(BaseModel):
    role: str
    party_id: str
    name: str
    phone_masked: str | None
    org_code: str | None


class CasePublic(BaseModel):
    case_id: uuid.UUID
    kind: str
    tracking_code: str
    status: str
    title: str
    description: str
    category: str
    jurisdiction: str | None
    urgency: str
    latitude: float | None
    longitude: float | None
    agency_responsible: str | None
    created_at: datetime
    updated_at: datetime
    parties: list[PartyPublic]
    timeline: list[TimelineItem]


class TrackingView(BaseModel):
    tracking_code: str
    kind: str
    status: str
    title: str
    can_answer_fix: bool
    timeline: list[TimelineItem]


class CaseSummary(BaseModel):
    case_id: uuid.UUID
    kind: str
    tracking_code: str
    status: str
    title: str
    category: str
    jurisdiction: str | None
    created_at: datetime


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None
