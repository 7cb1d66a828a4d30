"""Mediation's HTTP request and response models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field

from shared.platform.json_rules import stripped_text


class In(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=stripped_text
    )


class PerformanceIn(In):
    performed: bool
    note: str = Field(default="", max_length=1000)


class ReasonIn(In):
    reason: str = Field(min_length=1, max_length=1000, description="理由 Reason")


class OptionalReasonIn(In):
    reason: str = Field(default="", max_length=1000)


class WaitIn(In):
    waiting_on: Literal["complainant", "respondent"]
    reason: str = Field(default="", max_length=500)


class NoteIn(In):
    note: str = Field(default="", max_length=500)


class ExtendIn(In):
    days: int = Field(ge=1, le=15, description="延长天数 (≤15)")
    complainant_consent: bool = Field(description="申请人同意延长 (recorded consent)")
    respondent_consent: bool = Field(description="被申请人同意延长 (recorded consent)")
    note: str = Field(default="", max_length=500)


class SessionIn(In):
    starts_at: AwareDatetime
    place: str = Field(default="", max_length=200)
    # A station of dispatch's register: the place becomes its name and address.
    station_id: str | None = Field(default=None, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    online: bool = False
    attendees: list[str] = Field(default_factory=list, max_length=50)


class RescheduleIn(In):
    starts_at: AwareDatetime
    place: str | None = Field(default=None, max_length=200)
    reason: str = Field(
        min_length=1, max_length=500, description="改期原因（告知各方） Why it moves"
    )


class HeldIn(In):
    summary: str = Field(default="", max_length=2000)
    attendees: list[str] | None = Field(default=None, max_length=50)


class ReassignIn(In):
    mediator_id: str = Field(min_length=1, max_length=64, description="调解员 Mediator")
    reason: str = Field(min_length=1, max_length=500, description="理由 Reason")


class AlertClosing(In):
    note: str = Field(
        default="", max_length=2000, description="处理情况 What the committee did about it"
    )


class RepresentativesIn(In):
    party_ids: list[str] = Field(min_length=1, max_length=20)


class HistoryItem(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    actor_id: str
    at: datetime
    note: str


class ClockOut(BaseModel):
    clock: str
    legal: bool
    started_on: date
    due_on: date | None
    expires_at: datetime | None
    status: str
    calendar_source: str
    nominal_due_on: date | None = Field(
        default=None,
        description="the last day by counting, when the end was moved off a rest day or "
        "holiday to due_on (Civil Code art. 203)",
    )
    moved_because: str | None = Field(
        default=None,
        description="why the end moved: a festival code (national_day...), public_holiday or "
        "rest_day (glossary kind rest_reason)",
    )
    calendar_missing: bool = Field(
        default=False,
        description="a year this clock relies on has no official arrangement loaded: it was "
        "counted Monday to Friday and may move once the year is loaded",
    )


class SessionOut(BaseModel):
    session_id: str
    starts_at: datetime
    place: str
    online: bool
    attendees: list[str]
    status: str
    summary: str
    reschedules: int


class MemberOut(BaseModel):
    """A group's member case: the worker, their claim and their line of the agreement."""

    case_id: uuid.UUID
    tracking_code: str
    complainant_id: str
    complainant_name: str
    claim_amount_yuan: float | None
    amount_yuan: float | None = None
    due_on: date | None = None
    outcome: str | None


class DisputeSummary(BaseModel):
    case_id: uuid.UUID
    tracking_code: str
    state: str
    dispute_type: str
    platform_worker: bool
    title: str
    company: str
    town: str | None
    mediator_id: str | None
    duty_body: str | None
    risk: bool
    parent_case_id: uuid.UUID | None
    group_size: int = 0
    application_received_at: datetime
    created_at: datetime
    # The day the dispute arose (the one-year arbitration limitation runs from it); None when
    # the filing said it is unknown (or predates the question).
    infringement_known_on: date | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def limitation_unknown(self) -> bool:
        """A dispute of its own (not a group's member) without a limitation clock: the board
        warns "时效起算日不详"."""
        return self.infringement_known_on is None and self.parent_case_id is None


class DisputePublic(DisputeSummary):
    # Who applied (the full file, with contacts, claim and documents, is intake's case).
    complainant_id: str
    complainant_name: str
    mediator_name: str | None
    respondents: list[dict[str, Any]]
    agreement: dict[str, Any] | None
    performance_deadline: date | None
    accepted_at: datetime | None
    agreement_effective_at: datetime | None
    mediation_extended_days: int
    representatives: list[str]
    claim_amount_yuan: float | None = None
    outcome: str | None
    # A group dispute's member cases (each worker's claim, line and performance).
    members: list[MemberOut] = []
    history: list[HistoryItem] = []
    clocks: list[ClockOut] = []
    sessions: list[SessionOut] = []
    # What the caller may do now (a page shows only these); the service still checks each step.
    allowed_actions: list[str] = []
