"""Dispatch's HTTP request and response models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, Field

from services.dispatch.domain.directory import Contact


class ResolveIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="处置说明 What was done")
    photo_url: AnyHttpUrl | None = Field(
        default=None, description="处置后照片 A photo of the fix (e.g. an intake attachment URL)"
    )


class ProgressIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="进展说明 Progress so far")


class UrgeIn(BaseModel):
    note: str = Field(min_length=1, max_length=1000, description="督办意见 What to do")


class DeclineIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000, description="非本部门职责的理由")
    department_id: str | None = Field(
        default=None, max_length=64, description="应由哪个部门处理 The department it belongs to"
    )


class RouteIn(BaseModel):
    department_id: str = Field(min_length=1, max_length=64)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class HistoryItem(BaseModel):
    # The entry's `position` in the hazard's history, served under its published name.
    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    actor_id: str
    at: datetime
    note: str


class EscalationItem(BaseModel):
    """One step of the chain: whose target was missed, and to whom it went."""

    escalated_to: str
    department_id: str | None
    target: str
    level: int
    due_at: datetime
    at: datetime


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
    dispatched_at: datetime | None
    acknowledge_due: datetime | None
    resolve_due: datetime | None
    next_due: datetime | None
    overdue: bool = False
    resolution_note: str
    resolution_photo_url: str | None
    resolved_at: datetime | None
    original_case_id: uuid.UUID | None
    filed_at: datetime
    updated_at: datetime
    allowed_actions: list[str] = []
    # For a department: "lead" (dispatched to it: it acts), "support" (the other body of the
    # compound the report is linked to, 配合处理: it reads, the lead acts); None otherwise.
    involvement: Literal["lead", "support"] | None = None
    history: list[HistoryItem] = []
    escalations: list[EscalationItem] = []


class SupervisedHazard(HazardPublic):
    """A hazard in a supervisor's queue: how far it was escalated, and when last."""

    escalation_level: int
    escalated_at: datetime


class SupportedHazard(HazardPublic):
    """A report a department supports (配合处理): the compound it is linked to; its lead body
    is the department it is dispatched to (`department_id`, `department_name`)."""

    compound_id: str
    compound_name: str


class DepartmentIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["department", "supervisor"] = "department"
    categories: list[str] = Field(default_factory=list, max_length=100)
    jurisdictions: list[str] = Field(default_factory=lambda: ["*"], max_length=100)
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    escalation: list[str] = Field(default_factory=list, max_length=5)
    active: bool = True


class DepartmentOut(DepartmentIn):
    department_id: str


class PolicyIn(BaseModel):
    acknowledge_hours: float = Field(gt=0, le=24 * 30)
    resolve_days: float = Field(gt=0, le=365)
    warn_before_fraction: float = Field(default=0.25, gt=0, lt=1)
    escalation_step_hours: float = Field(default=24, gt=0, le=24 * 30)
    points: int = Field(default=10, ge=0, le=10_000)


class PolicyOut(PolicyIn):
    category: str


class PointsItem(BaseModel):
    case_id: uuid.UUID
    points: int
    reason: str
    category: str
    at: datetime


class PointsOut(BaseModel):
    reporter_id: str
    balance: int
    history: list[PointsItem]
