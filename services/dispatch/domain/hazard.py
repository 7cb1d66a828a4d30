"""The Hazard aggregate: a ticket's state, its due times, its history and the events it raises.

Every change goes through a method here; the service layer loads a hazard from its repository,
calls one or more methods, saves it and publishes `events` through the outbox (the
cosmicpython `Product.events` pattern). Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from services.dispatch.domain.directory import Department, ServiceTarget
from services.dispatch.domain.errors import IllegalTransition, NotAllowed
from services.dispatch.domain.lifecycle import OPEN, State, next_state
from services.dispatch.domain.targets import (
    Due,
    TargetName,
    due_times,
    next_due,
    plan,
    still_applies,
)
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.common import Payload
from shared.contracts.events.dispatch import (
    HazardAcknowledged,
    HazardCancelled,
    HazardConfirmedFixed,
    HazardDeclined,
    HazardDispatched,
    HazardEscalated,
    HazardMarkedDuplicate,
    HazardProgressNoted,
    HazardTargetWarning,
    HazardUrged,
    HazardWithdrawn,
)
from shared.contracts.raised import Raised


@dataclass(frozen=True)
class HistoryEntry:
    """One step of the hazard's history (`position` orders them)."""

    position: int
    action: str
    from_state: str
    to_state: str
    actor: Actor
    at: datetime
    note: str = ""


@dataclass(eq=False)
class Hazard:
    case_id: uuid.UUID
    tracking_code: str
    state: str
    category: str
    urgency: str
    title: str
    latitude: float
    longitude: float
    reporter_id: str
    filed_at: datetime
    updated_at: datetime
    jurisdiction: str | None = None
    department_id: str | None = None
    department_name: str | None = None
    dispatched_at: datetime | None = None
    acknowledge_due: datetime | None = None
    resolve_due: datetime | None = None
    next_due: datetime | None = None
    resolution_note: str = ""
    resolution_photo_url: str | None = None
    resolved_at: datetime | None = None
    original_case_id: uuid.UUID | None = None
    history_count: int = 0  # numbers the history entries in the order they were taken
    # Not yet saved: the steps taken and the events raised since the hazard was loaded.
    history: list[HistoryEntry] = field(default_factory=list)
    events: list[Raised] = field(default_factory=list)

    # -- the generic moves -------------------------------------------------------------

    def take(self, action: str, actor: Actor, at: datetime, *, note: str = "") -> State:
        """Check and apply one transition; record it on the history."""
        target = next_state(action, State(self.state), actor.role)
        self.note(action, actor, at, note=note, to_state=target)
        self.state = target.value
        self.next_due = next_due(target, self.acknowledge_due, self.resolve_due)
        return target

    def note(
        self,
        action: str,
        actor: Actor,
        at: datetime,
        *,
        note: str = "",
        to_state: State | None = None,
    ) -> None:
        """A history entry; without `to_state` it notes something that changes no state."""
        self.history_count += 1
        self.updated_at = at
        self.history.append(
            HistoryEntry(
                position=self.history_count,
                action=action,
                from_state=self.state,
                to_state=(to_state or State(self.state)).value,
                actor=actor,
                at=at,
                note=note[:2000],
            )
        )

    def raise_event(self, event_type: str, payload: Payload, actor: Actor = SYSTEM) -> None:
        self.events.append(Raised(event_type, payload, actor))

    @property
    def ever_timed(self) -> bool:
        """Timers start only with a dispatch, which stamps `dispatched_at` (never cleared)."""
        return self.dispatched_at is not None

    @property
    def is_open(self) -> bool:
        return State(self.state) in OPEN

    def check_department(self, actor: Actor) -> None:
        """A department acts only on hazards dispatched to it (a supporting body or a
        supervisor reads it, and a supervisor urges)."""
        if actor.role == "department" and actor.id != self.department_id:
            raise NotAllowed(
                "本工单由派往的承办部门办理：签收、进展、办结、非本部门职责只能由它操作，"
                "配合处理的部门只能查看（this hazard is dispatched to another department）"
            )

    # -- routing ----------------------------------------------------------------------

    def dispatch(
        self,
        department: Department,
        target: ServiceTarget,
        chain: list[str],
        at: datetime,
        *,
        actor: Actor = SYSTEM,
        rerouted_from: str | None = None,
    ) -> list[Due]:
        """To this department with fresh due times; returns the timers those dues need."""
        note = department.department_id + (f" (from {rerouted_from})" if rerouted_from else "")
        self.take("dispatch", actor, at, note=note)
        self.department_id, self.department_name = department.department_id, department.name
        self.dispatched_at = at
        self.acknowledge_due, self.resolve_due = due_times(target, at)
        self.next_due = next_due(State(self.state), self.acknowledge_due, self.resolve_due)
        self.raise_event(
            "hazard.dispatched",
            HazardDispatched(
                state=self.state,
                department_id=department.department_id,
                department_name=department.name,
                acknowledge_due=self.acknowledge_due,
                resolve_due=self.resolve_due,
                rerouted_from=rerouted_from,
                title=self.title,
            ),
            actor,
        )
        dues = (("acknowledge", self.acknowledge_due), ("resolve", self.resolve_due))
        return [
            timer
            for name, due in dues
            for timer in plan(name, at, due, target, department.department_id, chain)  # type: ignore[arg-type]
        ]

    def withdraw(self, why: Literal["corrected", "moved"], reason: str, actor: Actor) -> None:
        """Taken back from its department: it leaves that department's queue (and its reach)
        and the department is told (`hazard.withdrawn`), before any new dispatch."""
        department_id, name = self.department_id, self.department_name
        if not department_id:
            return
        self.department_id, self.department_name = None, None
        self.raise_event(
            "hazard.withdrawn",
            HazardWithdrawn(
                state=self.state,
                department_id=department_id,
                department_name=name or "",
                cause=why,
                reason=reason,
            ),
            actor,
        )

    def mark_duplicate(self, original: uuid.UUID, at: datetime) -> None:
        """A duplicate of `original`: not routed, no timers, no points."""
        self.take("mark_duplicate", SYSTEM, at, note=f"duplicate of {original}")
        self.original_case_id = original
        self.raise_event(
            "hazard.marked_duplicate",
            HazardMarkedDuplicate(state=self.state, original_case_id=original),
        )

    def unmerge(self, actor: Actor, at: datetime, from_case_id: uuid.UUID) -> None:
        self.take("unmerge", actor, at, note=f"split from {from_case_id}")
        self.original_case_id = None

    # -- the department's work --------------------------------------------------------

    def acknowledge(self, actor: Actor, at: datetime) -> None:
        self.check_department(actor)
        self.take("acknowledge", actor, at)
        self.raise_event(
            "hazard.acknowledged",
            HazardAcknowledged(state=self.state, department_id=actor.id),
            actor,
        )

    def note_progress(self, note: str, actor: Actor, at: datetime) -> None:
        self.check_department(actor)
        self.take("note_progress", actor, at, note=note)
        self.raise_event(
            "hazard.progress_noted",
            HazardProgressNoted(state=self.state, department_id=actor.id, note=note),
            actor,
        )

    def resolve(self, note: str, photo_url: str | None, actor: Actor, at: datetime) -> None:
        """Reported fixed; the service layer asks the reporter (its event names the followers)."""
        self.check_department(actor)
        self.take("resolve", actor, at, note=note)
        self.resolution_note, self.resolution_photo_url, self.resolved_at = note, photo_url, at

    def decline(self, reason: str, actor: Actor, at: datetime) -> str:
        """ "Not ours"; returns who declined it."""
        self.check_department(actor)
        declined_by = self.department_id or actor.id
        self.take("decline", actor, at, note=reason)
        self.raise_event(
            "hazard.declined",
            HazardDeclined(state=self.state, department_id=declined_by, reason=reason),
            actor,
        )
        return declined_by

    def cancel(self, reason: str, actor: Actor, at: datetime) -> None:
        if actor.role == "reporter" and actor.id != self.reporter_id:
            raise NotAllowed("only the reporter may cancel their own report")
        self.take("cancel", actor, at, note=reason)
        self.raise_event(
            "hazard.cancelled", HazardCancelled(state=self.state, reason=reason), actor
        )

    # -- the reporter's answer --------------------------------------------------------

    def confirm_fixed(self, note: str, actor: Actor, at: datetime) -> None:
        self.take("confirm_fixed", actor, at, note=note)
        self.raise_event(
            "hazard.confirmed_fixed", HazardConfirmedFixed(state=self.state, note=note), actor
        )

    def report_not_fixed(self, note: str, actor: Actor, at: datetime) -> None:
        """Not fixed: reopened (the service layer sends it back to its department)."""
        self.take("report_not_fixed", actor, at, note=note)
        self.take("reopen", SYSTEM, at, note=note)

    # -- timers and supervision -------------------------------------------------------

    def breach_applies(self, name: TargetName, department_id: str, due: datetime) -> bool:
        """A fired target timer counts only for the same department and an unmet, unmoved due."""
        current = self.acknowledge_due if name == "acknowledge" else self.resolve_due
        return self.department_id == department_id and still_applies(
            name, State(self.state), current, due
        )

    def warn(self, name: TargetName, due: datetime, at: datetime) -> None:
        assert self.department_id is not None
        self.note(f"{name}_warning", SYSTEM, at, note=f"due {due.isoformat()}")
        self.raise_event(
            "hazard.target_warning",
            HazardTargetWarning(
                state=self.state, target=name, due_at=due, department_id=self.department_id
            ),
        )

    def escalate(
        self,
        name: TargetName,
        due: datetime,
        level: int,
        to: str,
        to_name: str | None,
        at: datetime,
    ) -> None:
        note = f"level {level} to {to}, {name} due {due.isoformat()}"
        self.note(f"{name}_escalation", SYSTEM, at, note=note)
        self.raise_event(
            "hazard.escalated",
            HazardEscalated(
                state=self.state,
                target=name,
                due_at=due,
                level=level,
                escalated_to=to,
                escalated_to_name=to_name,
                department_id=self.department_id,
            ),
        )

    def urge(self, note: str, actor: Actor, supervisor_name: str | None, at: datetime) -> None:
        """A supervisor presses the department (the caller checked it was escalated to it)."""
        if not self.is_open:
            raise IllegalTransition("urge", self.state)
        self.note("urge", actor, at, note=note)
        self.raise_event(
            "hazard.urged",
            HazardUrged(
                state=self.state,
                department_id=self.department_id,
                supervisor_id=actor.id,
                supervisor_name=supervisor_name,
                note=note,
            ),
            actor,
        )
