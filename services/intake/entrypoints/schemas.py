"""Response models of intake's HTTP API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, Field


def _not_a_number(value: Any) -> Any:
    """The document says date-time: a bare number is not one (pydantic would read seconds)."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise ValueError("a date-time with a zone, e.g. 2026-12-01T08:00:00+08:00")
    return value


# A query's date-time filter: ISO 8601 with a zone, never a count of seconds.
DateTimeFilter = Annotated[AwareDatetime, BeforeValidator(_not_a_number)]


class MemberFiled(BaseModel):
    """A group member's own case: the tracking code they follow it by."""

    case_id: uuid.UUID
    tracking_code: str


class Filed(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    status: str
    kind: str
    jurisdiction: str | None = None
    duplicate_of: uuid.UUID | None = None
    # How the runner will hear of progress (e-mail, SMS, else only the tracking page).
    follow_up: str = ""
    follow_up_en: str = ""
    # A group dispute: each member's case, in the order given.
    members: list[MemberFiled] = []


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
    # How to reach the party: only for the dispute's mediator, whose work needs it.
    phone: str | None = None
    email: str | None = None


class AttachmentPublic(BaseModel):
    attachment_id: str
    media_type: str
    size_bytes: int
    sha256: str
    url: str


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
    address: str
    agency_responsible: str | None
    department_id: str | None
    status_notes: str
    expected_at: datetime | None
    duplicate_of: uuid.UUID | None
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    parties: list[PartyPublic]
    timeline: list[TimelineItem]
    attachments: list[AttachmentPublic]


class TrackingView(BaseModel):
    tracking_code: str
    kind: str
    status: str
    title: str
    can_answer_fix: bool
    merged: bool = False
    timeline: list[TimelineItem]
    attachments: list[AttachmentPublic] = []
    # The reporter's contribution points, all their reports together (one rider, one party).
    points: int = 0


class CaseSummary(BaseModel):
    case_id: uuid.UUID
    kind: str
    tracking_code: str
    status: str
    title: str
    category: str
    jurisdiction: str | None
    created_at: datetime
    urgency: str = "normal"
    latitude: float | None = None
    longitude: float | None = None
    department_id: str | None = None
    escalated: bool = Field(
        default=False, description="超时督办 A hazard escalated to a supervisor at least once"
    )


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None
