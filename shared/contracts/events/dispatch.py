"""Events produced by dispatch, on `waystation.dispatch`."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.events.common import Payload


class HazardStateChange(Payload):
    """Every dispatch event names the hazard's state after it."""

    state: str = Field(max_length=40)


class HazardDispatched(HazardStateChange):
    department_id: str = Field(max_length=64)
    department_name: str = Field(max_length=100)
    acknowledge_due: AwareDatetime
    resolve_due: AwareDatetime
    rerouted_from: str | None = Field(default=None, max_length=64)
    # The ticket's title as dispatched (after a correction, the new category's).
    title: str = Field(default="", max_length=200)


class HazardAcknowledged(HazardStateChange):
    department_id: str = Field(max_length=64)


class HazardResolved(HazardStateChange):
    department_id: str = Field(max_length=64)
    note: str = Field(default="", max_length=2000)
    photo_url: str | None = Field(default=None, max_length=500)
    # The reporter (and followers) may answer "is it fixed?" until then; silence closes it.
    confirm_by: AwareDatetime | None = None
    # Reporters of merged duplicates (party ids): they are asked too.
    followers: list[str] = Field(default_factory=list, max_length=200)


class HazardConfirmedFixed(HazardStateChange):
    note: str = Field(default="", max_length=1000)


class HazardClosed(HazardStateChange):
    resolution: str = Field(max_length=40)
    followers: list[str] = Field(default_factory=list, max_length=200)


class HazardProgressNoted(HazardStateChange):
    department_id: str = Field(max_length=64)
    note: str = Field(max_length=2000)


class HazardDeclined(HazardStateChange):
    """The department said "not ours"; a new `hazard.dispatched` follows unless back to triage."""

    department_id: str = Field(max_length=64)
    reason: str = Field(max_length=1000)


class HazardWithdrawn(HazardStateChange):
    """The ticket was taken back from the department it was with (a correction of its category
    or place, or an officer moving it); that department no longer handles it."""

    department_id: str = Field(max_length=64)
    department_name: str = Field(default="", max_length=100)
    cause: Literal["corrected", "moved"]
    reason: str = Field(default="", max_length=1000)


class HazardTargetWarning(HazardStateChange):
    target: Literal["acknowledge", "resolve"]
    due_at: AwareDatetime
    department_id: str = Field(max_length=64)


class HazardEscalated(HazardStateChange):
    target: Literal["acknowledge", "resolve"]
    due_at: AwareDatetime
    level: int = Field(ge=1)
    escalated_to: str = Field(max_length=64)
    escalated_to_name: str | None = Field(default=None, max_length=100)
    # The department that breached the target (escalated_to is whom it goes to).
    department_id: str | None = Field(default=None, max_length=64)


class HazardUrged(HazardStateChange):
    """A supervisor the hazard was escalated to presses its department (督办)."""

    department_id: str | None = Field(default=None, max_length=64)
    supervisor_id: str = Field(max_length=64)
    supervisor_name: str | None = Field(default=None, max_length=100)
    note: str = Field(max_length=1000)


class HazardReopened(HazardStateChange):
    note: str = Field(default="", max_length=1000)
    department_id: str | None = Field(default=None, max_length=64)
    followers: list[str] = Field(default_factory=list, max_length=200)


class HazardMarkedDuplicate(HazardStateChange):
    original_case_id: uuid.UUID


class HazardCancelled(HazardStateChange):
    reason: str = Field(default="", max_length=1000)


class PointsCredited(Payload):
    reporter_id: str = Field(max_length=64)
    points: int
    balance: int
    reason: str = Field(max_length=200)


class PointsRedeemed(Payload):
    """A rider spent points on a reward of the exchange; the provider station hands it over.

    The envelope's case is the rider's latest report (where their contact is known)."""

    reporter_id: str = Field(max_length=64)
    redemption_id: uuid.UUID
    reward_id: str = Field(max_length=64)
    reward_name: str = Field(max_length=100)
    station_id: str = Field(max_length=64)
    station_name: str = Field(default="", max_length=100)
    station_address: str = Field(default="", max_length=200)
    points: int = Field(description="the points spent (positive)")
    balance: int


class RewardHandedOver(Payload):
    """The provider station confirmed it handed the reward over."""

    reporter_id: str = Field(max_length=64)
    redemption_id: uuid.UUID
    reward_id: str = Field(max_length=64)
    reward_name: str = Field(max_length=100)
    station_id: str = Field(max_length=64)
    station_name: str = Field(default="", max_length=100)


class CompoundReportLinked(Payload):
    """A compound-access report was linked to its compound: the lead body has it dispatched,
    the other body (`department_id`) is told; `earlier_reports` counts the compound's others."""

    compound_id: str = Field(max_length=64)
    compound_name: str = Field(max_length=100)
    matched_by: Literal["name", "location"]
    distance_m: int | None = None
    lead_department_id: str | None = Field(default=None, max_length=64)
    department_id: str | None = Field(
        default=None, max_length=64, description="the supporting body, told of the report"
    )
    rules_adopted: bool
    earlier_reports: int = Field(ge=0)


class StationSuggested(Payload):
    """Where a runner can go now, told when a ticket is filed: for a dispute the nearest station
    with legal help and its next duty; for a hazard the nearest station open at filing time."""

    purpose: Literal["legal_help", "open_station"]
    station_id: str = Field(max_length=64)
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    town_name: str = Field(default="", max_length=40)
    distance_m: int = Field(ge=0)
    walk_minutes: int = Field(ge=1)
    ebike_minutes: int = Field(ge=1)
    open_now: bool
    hours_text: str = Field(default="", max_length=300)
    # Legal help: the body on duty next (now, if the spell is under way) and when.
    duty_body_name: str | None = Field(default=None, max_length=100)
    duty_body_kind: str | None = Field(default=None, max_length=40)
    duty_starts: AwareDatetime | None = None
    duty_ends: AwareDatetime | None = None
    # The place measured from: the filing's own point, or its town's centre when it had none.
    from_town_centre: bool = False
