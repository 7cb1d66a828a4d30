"""Events produced by mediation, on `waystation.mediation`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Literal

from pydantic import Field

from shared.contracts.events.common import Payload


class StateChange(Payload):
    """Every mediation event names the dispute's state after it."""

    state: str = Field(max_length=40)


class DisputeRegistered(StateChange):
    dispute_type: str = Field(max_length=40)


class MediatorAssigned(StateChange):
    mediator_id: str = Field(max_length=64)
    mediator_name: str = Field(max_length=100)
    duty_body: str = Field(max_length=100)


class AgreementSigned(StateChange):
    agreement_id: str = Field(max_length=64)
    terms: str = Field(max_length=4000)
    performance_deadline: date
    # when the agreed day is a rest day or a holiday, performance is due by the end of the next
    # working day (Civil Code art. 203): that day and why (a `rest_reason` code)
    performance_due_on: date | None = None
    performance_moved_because: str | None = Field(default=None, max_length=40)


class PerformancePerformed(StateChange):
    note: str = Field(default="", max_length=1000)


class PerformanceNotPerformed(StateChange):
    note: str = Field(default="", max_length=1000)


class DisputeClosed(StateChange):
    outcome: str = Field(max_length=40)


class DisputeAccepted(StateChange):
    pass


class DisputeRejected(StateChange):
    reason: str = Field(max_length=1000)


class DisputeRespondentDeclined(StateChange):
    reason: str = Field(default="", max_length=1000)


class MediatorReassigned(MediatorAssigned):
    previous_mediator_id: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)


class SessionScheduled(StateChange):
    session_id: str = Field(max_length=64)
    starts_at: datetime
    place: str = Field(default="", max_length=200)
    online: bool = False
    attendees: list[str] = Field(default_factory=list, max_length=50)


class SessionRescheduled(SessionScheduled):
    """A scheduled session moved: the new time and place, the old ones, and why."""

    previous_starts_at: datetime
    previous_place: str = Field(default="", max_length=200)
    reason: str = Field(max_length=500)


class MediationStarted(StateChange):
    """The mediator began mediating (or, after a pause, mediation resumed)."""

    note: str = Field(default="", max_length=500)


class SessionHeld(StateChange):
    session_id: str = Field(max_length=64)
    summary: str = Field(default="", max_length=2000)


class DisputeWaitingParty(StateChange):
    waiting_on: Literal["complainant", "respondent"]
    reason: str = Field(default="", max_length=500)


class MediationExtended(StateChange):
    new_limit_on: date
    consent_recorded: bool
    # the extended limit's last day by counting and why it moved (see PeriodMoved)
    nominal_limit_on: date | None = None
    moved_because: str | None = Field(default=None, max_length=40)
    calendar_missing: bool = False


class MediationEnded(StateChange):
    """Failed, expired without agreement, or withdrawn: the arbitration route stays open."""

    reason: str = Field(default="", max_length=1000)
    arbitration_limitation_on: date | None = None


class ReferredToArbitration(StateChange):
    reason: str = Field(default="", max_length=1000)
    payment_order_eligible: bool = False


Clock = Literal[
    "mediation_limit",
    "judicial_confirmation",
    "arbitration_review",
    "performance",
    "arbitration_limitation",
    "acceptance_target",
    "mediation_target",
]


class PeriodMoved(Payload):
    """Where a period's end was moved off a rest day or holiday (Civil Code art. 203): its
    last day by counting and why (a festival code, `public_holiday` or `rest_day`: the
    glossary's `rest_reason`); `calendar_missing` when a year it relies on is not loaded and
    was counted Monday to Friday."""

    nominal_due_on: date | None = None
    moved_because: str | None = Field(default=None, max_length=40)
    calendar_missing: bool = False


class DeadlineWarning(PeriodMoved):
    clock: Clock
    due_on: date
    days_left: int = Field(ge=0)


class DeadlineExpired(PeriodMoved):
    clock: Clock
    due_on: date


class PatternAlert(Payload):
    company: str = Field(max_length=200)
    org_code: str | None = Field(default=None, max_length=40)
    dispute_type: str = Field(max_length=40)
    count: int = Field(ge=1)
    window_days: int = Field(ge=1)
    case_ids: list[str] = Field(default_factory=list, max_length=1000)


class GroupLinked(Payload):
    """A member case joined a group dispute (10+ runners, one claim)."""

    parent_case_id: str = Field(max_length=64)
    representative_party_ids: list[str] = Field(default_factory=list, max_length=20)


class GroupNotice(Payload):
    """On a member case: what its group's dispute reached, with this member's own line of the
    agreement's schedule once there is one (every member is told, LDMAL 7)."""

    parent_case_id: str = Field(max_length=64)
    stage: Literal["accepted", "agreement_signed", "ended", "closed"]
    state: str = Field(max_length=40, description="the parent's state")
    amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    due_on: date | None = None


class MemberPerformanceRecorded(Payload):
    """A group agreement's line for one member was performed, or not (on the member case)."""

    parent_case_id: str = Field(max_length=64)
    performed: bool
    amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    note: str = Field(default="", max_length=1000)


# The duty roster's events travel as one "case" of their own, so they are applied in order.
ROSTER_ID = uuid.UUID("6f1c2a0e-25d0-4b1e-9a25-000000000025")


class StationDutyItem(Payload):
    """A roster shift that seats a duty body at a station (dispatch shows it on the station)."""

    station_id: str = Field(min_length=1, max_length=64)
    body_id: str = Field(min_length=1, max_length=64)
    body_name: str = Field(min_length=1, max_length=100)
    body_kind: str = Field(max_length=40)
    starts_on: date
    ends_on: date
    weekdays: list[int] = Field(default_factory=list, max_length=7)  # ISO, 1 = Monday; empty: all
    from_time: time
    to_time: time


class RosterPublished(Payload):
    """The duty roster changed: every shift that names a station, the whole set each time.

    `revision` grows with every change (a replayed or older event is recognised by it); the
    envelope's case_id is the roster's own fixed id (ROSTER_ID), so its events keep their order.
    """

    revision: int = Field(ge=1)
    station_duty: list[StationDutyItem] = Field(default_factory=list, max_length=5000)


class ConsultationParticipant(Payload):
    name: str = Field(max_length=100)
    organisation: str = Field(max_length=200)
    side: str = Field(max_length=40, description="company_hq, partner, rider_representative, …")


class ConsultationEvent(Payload):
    """An industry consultation (行业协商) about one company's pattern of disputes; the envelope's
    `case_id` is the consultation's own id (it is no case)."""

    consultation_id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    company: str = Field(max_length=200)
    company_key: str = Field(max_length=200, description="the company's pattern key")
    dispute_type: str = Field(max_length=40)
    participants: list[ConsultationParticipant] = Field(default_factory=list, max_length=50)


class ConsultationOpened(ConsultationEvent):
    alert_id: str | None = Field(default=None, max_length=64)


class ConsultationSessionRecorded(ConsultationEvent):
    held_on: date
    place: str = Field(max_length=200)
    summary: str = Field(max_length=2000)


class ConsultationAgreed(ConsultationEvent):
    changes: list[str] = Field(max_length=20)
    effective_on: date
    follow_up_on: date
