"""Events produced by intake, on `waystation.intake`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.events.common import CaseKind, GeoPoint, PartyRef, Payload


class GroupDetails(Payload):
    """On a group dispute's parent case (LDMAL 7): its elected representatives at filing.

    Each member is a case of its own, filed with `parent_case_id`; members may join later."""

    representative_party_ids: list[str] = Field(min_length=1, max_length=20)
    member_count: int = Field(ge=0, le=10_000)


class DisputeDetails(Payload):
    dispute_type: str = Field(min_length=1, max_length=40)
    claim: str = Field(min_length=1, max_length=2000)
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    desired_outcome: str = Field(default="", max_length=2000)
    platform_worker: bool = False
    oral_application: bool = False
    dispute_arose_on: date | None = None
    # Said outright at filing that the day is unknown (no limitation clock; the committee sees
    # a warning). Absent in events filed before it existed: read as False.
    dispute_arose_on_unknown: bool = False
    # When the application reached the committee (LDMAL 14 counts from it); None in events
    # filed before this field existed: the envelope's occurred_at is then the receipt.
    received_at: AwareDatetime | None = None
    # Set only when the application was received earlier than it was entered.
    received_by: str | None = Field(default=None, max_length=100)
    received_via: str | None = Field(default=None, max_length=20)
    # Where the runner is or works, if given: dispatch names the nearest legal help from it.
    location: GeoPoint | None = None
    # Set on a group dispute's parent case.
    group: GroupDetails | None = None


class HazardDetails(Payload):
    category: str = Field(min_length=1, max_length=40)
    location: GeoPoint
    address: str = Field(default="", max_length=300)
    urgency: str = Field(default="normal", max_length=20)


class CaseFiled(Payload):
    kind: CaseKind
    tracking_code: str = Field(min_length=4, max_length=20)
    channel: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    jurisdiction: str | None = Field(default=None, max_length=40)
    parties: list[PartyRef] = Field(min_length=1, max_length=50)
    dispute: DisputeDetails | None = None
    hazard: HazardDetails | None = None
    # Set when intake merged this hazard into an open one: dispatch does not route it.
    duplicate_of: uuid.UUID | None = None
    # Group disputes: the parent case this member case belongs to.
    parent_case_id: uuid.UUID | None = None


class ReporterConfirmedFixed(Payload):
    note: str = Field(default="", max_length=1000)


class ReporterReportedNotFixed(Payload):
    note: str = Field(default="", max_length=1000)


class CaseCorrected(Payload):
    """An officer corrected a ticket's category or location; it is re-triaged."""

    category: str = Field(max_length=40)
    jurisdiction: str | None = Field(default=None, max_length=40)
    location: GeoPoint | None = None
    previous_category: str = Field(max_length=40)
    previous_jurisdiction: str | None = Field(default=None, max_length=40)
    reason: str = Field(default="", max_length=500)
    # The ticket's title after the correction (a hazard's names its new category).
    title: str = Field(default="", max_length=200)


class CaseMerged(Payload):
    """On the original (open) case: a duplicate was merged in; its reporter now follows."""

    duplicate_case_id: uuid.UUID
    follower: PartyRef
    distance_m: float = Field(ge=0)


class CaseUnmerged(Payload):
    """On the split case: an officer undid a wrong merge; it is routed on its own."""

    from_case_id: uuid.UUID
    follower_party_id: str = Field(max_length=64)


class AttachmentAdded(Payload):
    attachment_id: str = Field(max_length=64)
    media_type: str = Field(max_length=100)
    size_bytes: int = Field(ge=0)
    sha256: str = Field(min_length=64, max_length=64)


class DepartmentUpdatePosted(Payload):
    """A department's own system posted an Open311 service request update."""

    department_id: str = Field(max_length=64)
    update_id: str = Field(max_length=100)
    action: Literal["acknowledge", "progress", "resolve", "decline"]
    note: str = Field(default="", max_length=2000)


class RiderCodeRequested(Payload):
    """A rider asked to sign in: notify sends them this one-time code (e-mail, else SMS).

    The code is good for minutes and once; it never reaches a timeline or a tracking page."""

    party_id: str = Field(max_length=64)
    code: str = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")
    expires_at: datetime


class DisputeSupplemented(Payload):
    """An officer completed an application still awaiting acceptance (补充申请材料).

    Only what was given is set; `fields` names everything supplemented (an ID number too,
    whose value never leaves intake). `respondents`, when given, is the whole list after the
    change (a respondent's new e-mail for service, or an extra respondent)."""

    fields: list[str] = Field(min_length=1, max_length=20)
    note: str = Field(min_length=1, max_length=500)
    claim: str | None = Field(default=None, min_length=1, max_length=2000)
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    facts_added: str | None = Field(default=None, max_length=4000)
    desired_outcome: str | None = Field(default=None, max_length=2000)
    respondents: list[PartyRef] | None = Field(default=None, max_length=20)
    workplace_address: str | None = Field(default=None, max_length=300)
    location: GeoPoint | None = None
    jurisdiction: str | None = Field(default=None, max_length=40)
    preferred_station_id: str | None = Field(default=None, max_length=64)
