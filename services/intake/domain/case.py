"""The Case aggregate: a case as intake keeps it, its status as the services report it, its
timeline, and the events intake raises about it.

Every change goes through a method here: the service layer loads a case from its repository,
calls a method, queues `events` with `uow.emit_raised`, records what it queued on the timeline
(`record`, as every other service's events are) and saves the case. Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from services.intake.domain import case_dispute, case_timeline, catalogue
from services.intake.domain.case_timeline import TimelineNote
from services.intake.domain.commands import SupplementDispute
from services.intake.domain.errors import (
    Conflict,
    Forbidden,
    InvalidField,
    NotFound,
    UnknownCategory,
)
from services.intake.domain.open311 import INBOUND_STATUSES, action_for
from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.common import GeoPoint, PartyRef, Payload
from shared.contracts.events.intake import (
    AttachmentAdded,
    CaseCorrected,
    CaseFiled,
    CaseMerged,
    CaseUnmerged,
    DepartmentUpdatePosted,
    ReporterConfirmedFixed,
    ReporterReportedNotFixed,
)
from shared.contracts.raised import Raised

# A finished ticket is what it is: an officer's correction no longer applies.
FINAL = frozenset({"closed", "cancelled", "confirmed_fixed", "withdrawn", "rejected"})


@dataclass(frozen=True)
class Move:
    """Where an officer moves a hazard: the point, and its address if given."""

    latitude: float
    longitude: float
    address: str | None = None


class Places(Protocol):
    """The service area: a point's jurisdiction (refusing one outside), a jurisdiction's name."""

    def locate(self, lat: float, lng: float) -> str: ...
    def name_of(self, code: str | None) -> str: ...


@dataclass(eq=False)
class Case:
    id: uuid.UUID
    kind: str
    tracking_code: str
    channel: str
    title: str
    description: str
    category: str
    created_at: datetime
    updated_at: datetime
    status_at: datetime
    status: str = "filed"
    jurisdiction: str | None = None
    urgency: str = "normal"
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    agency_responsible: str | None = None
    department_id: str | None = None
    status_notes: str = ""
    expected_at: datetime | None = None
    duplicate_of: uuid.UUID | None = None
    parent_case_id: uuid.UUID | None = None
    open311_token: str | None = None
    media_url: str | None = None
    # Not yet saved: the timeline notes recorded and the events raised since it was loaded.
    timeline: list[TimelineNote] = field(default_factory=list)
    events: list[Raised] = field(default_factory=list)

    def record(self, envelope: Envelope) -> None:
        """Any service's event about this case: a timeline note, and the status if newer."""
        case_timeline.record(self, envelope)

    def raise_event(self, event_type: str, payload: Payload, actor: Actor) -> None:
        self.events.append(Raised(event_type, payload, actor))

    @property
    def is_group(self) -> bool:
        return "group" in self.details

    # -- filing ----------------------------------------------------------------------------

    def file(self, payload: CaseFiled, actor: Actor, at: datetime) -> None:
        """Registered: `case.filed` announces it (a duplicate is filed, then merged)."""
        self.status, self.status_at = "filed", at
        self.raise_event("case.filed", payload, actor)

    def mark_duplicate(self) -> None:
        """Filed as a duplicate of an open hazard nearby: its reporter follows that one."""
        self.status = "duplicate"

    def merged(
        self, duplicate_id: uuid.UUID, follower: PartyRef, distance_m: float, actor: Actor
    ) -> None:
        """A duplicate report was merged into this one; its reporter now follows it."""
        payload = CaseMerged(
            duplicate_case_id=duplicate_id, follower=follower, distance_m=distance_m
        )
        self.raise_event("case.merged", payload, actor)

    # -- a dispute's application -----------------------------------------------------------

    def must_await_acceptance(self) -> None:
        case_dispute.must_await_acceptance(self)

    def supplement(
        self,
        cmd: SupplementDispute,
        town: str | None,
        respondents: list[PartyRef] | None,
        actor: Actor,
        at: datetime,
    ) -> None:
        """Complete the application: given fields change, facts grow, the event is raised."""
        case_dispute.supplement(self, cmd, town, respondents, actor, at)

    def must_take_members(self) -> None:
        case_dispute.must_take_members(self)

    def members_joined(self, joined: int) -> None:
        case_dispute.members_joined(self, joined)

    # -- an officer's corrections ----------------------------------------------------------

    def must_be_open(self) -> None:
        if self.status in FINAL:
            raise Conflict(f"the ticket is {self.status}; a finished ticket cannot be changed")

    def correct_dispute(
        self, category: str | None, *, moved: bool, reason: str, actor: Actor
    ) -> None:
        """Another dispute type (a dispute has no location to move)."""
        self.must_be_open()
        if moved:
            raise InvalidField("latitude", "a dispute has no location")
        if category not in catalogue.DISPUTE_TYPES:
            raise InvalidField("category", "not a dispute type")
        previous = (self.category, self.jurisdiction)
        self.category = category
        self._corrected(previous, reason, actor)

    def correct_hazard(
        self, category: str | None, move: Move | None, places: Places, *, reason: str, actor: Actor
    ) -> None:
        """Re-categorise and/or move a hazard; urgency and title follow (triaged again)."""
        self.must_be_open()
        cat = catalogue.category(category or self.category)
        if cat is None:
            raise UnknownCategory(category or "")
        previous = (self.category, self.jurisdiction)
        if move is not None:
            self.jurisdiction = places.locate(move.latitude, move.longitude)
            self.latitude, self.longitude = move.latitude, move.longitude
            if move.address is not None:
                self.address = move.address
        self.category = cat.code
        self.urgency = catalogue.urgency_of(cat, self.description)
        self.title = f"{cat.name_zh}：{places.name_of(self.jurisdiction)}"[:200]
        self._corrected(previous, reason, actor)

    def _corrected(self, previous: tuple[str, str | None], reason: str, actor: Actor) -> None:
        location = (
            GeoPoint(lat=self.latitude, lng=self.longitude)
            if self.kind == "hazard" and self.latitude is not None and self.longitude is not None
            else None
        )
        payload = CaseCorrected(
            category=self.category,
            jurisdiction=self.jurisdiction,
            location=location,
            previous_category=previous[0],
            previous_jurisdiction=previous[1],
            reason=reason,
            title=self.title,
        )
        self.raise_event("case.corrected", payload, actor)

    def unmerge(self, reason: str, follower_id: str, actor: Actor, at: datetime) -> uuid.UUID:
        """Undo a wrong merge: handled on its own again. The original it was merged into."""
        if self.duplicate_of is None:
            raise Conflict(f"the ticket is {self.status}; it is not merged into another ticket")
        original_id = self.duplicate_of
        self.duplicate_of = None
        # The event carries the facts; the officer's reason stays in the registry.
        self.details = {**self.details, "split_reason": reason, "split_from": str(original_id)}
        self.status, self.status_at = "filed", at
        payload = CaseUnmerged(from_case_id=original_id, follower_party_id=follower_id or "unknown")
        self.raise_event("case.unmerged", payload, actor)
        return original_id

    # -- the reporter and the department ---------------------------------------------------

    def attachment_added(
        self, attachment_id: str, media_type: str, size: int, sha256: str, actor: Actor
    ) -> None:
        payload = AttachmentAdded(
            attachment_id=attachment_id, media_type=media_type, size_bytes=size, sha256=sha256
        )
        self.raise_event("case.attachment_added", payload, actor)

    def answer_fix(self, fixed: bool, note: str | None, actor: Actor) -> None:
        """The reporter's answer to "is it fixed?"; the status stays with dispatch's lifecycle."""
        if self.kind != "hazard" or self.status != "resolved":
            raise Conflict(f"the ticket is {self.status}; only a resolved hazard can be confirmed")
        if fixed:
            self.raise_event("reporter.confirmed_fixed", ReporterConfirmedFixed(note=note), actor)
        else:
            self.raise_event(
                "reporter.reported_not_fixed", ReporterReportedNotFixed(note=note), actor
            )

    def post_department_update(
        self, department_id: str, update_id: str, status: str, note: str
    ) -> str:
        """A department's own system posts an update on a hazard dispatched to it; the action
        it asks dispatch to take."""
        if self.kind != "hazard":
            raise NotFound(str(self.id))
        if self.department_id != department_id:
            raise Forbidden("this request is not dispatched to your department")
        action = action_for(status, self.status)
        if action is None:
            raise InvalidField("status", f"one of {', '.join(INBOUND_STATUSES)}")
        payload = DepartmentUpdatePosted(
            department_id=department_id, update_id=update_id, action=action, note=note
        )
        self.raise_event(
            "department.update_posted", payload, Actor(role="department", id=department_id)
        )
        return action
