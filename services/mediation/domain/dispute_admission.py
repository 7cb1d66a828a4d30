"""The Dispute aggregate's admission: registered for review, accepted or rejected (or declined
by a respondent), and handed to a mediator (assigned, reassigned)."""

from __future__ import annotations

from datetime import date, datetime

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import ClockName, days_clock, limitation_clock
from services.mediation.domain.dispute_clocks import StateHistory, aware
from services.mediation.domain.dispute_history import MEDIATION_CLOCKS, HistoryKeeping
from services.mediation.domain.lifecycle import State, check_reassignable
from services.mediation.domain.roster import Mediator
from services.mediation.domain.targets import Target
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.mediation import (
    DisputeAccepted,
    DisputeRegistered,
    DisputeRejected,
    DisputeRespondentDeclined,
    MediatorAssigned,
    MediatorReassigned,
)


class Admission(HistoryKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    dispute_type: str
    platform_worker: bool
    application_received_at: datetime
    infringement_known_on: date | None
    accepted_at: datetime | None
    mediator_name: str | None
    duty_body: str | None
    outcome: str | None

    def register(
        self, acceptance_target: Target, saved: StateHistory, calendar: WorkCalendar, at: datetime
    ) -> None:
        """Filed -> in the committee's review, its clocks started: the mediation limit from
        receipt (LDMAL 14; a platform worker's from acceptance), the one-year limitation, and
        the acceptance target, also from receipt, so one entered late shows as late at once."""
        self.take("review", SYSTEM, at, note="registered for the committee's review")
        self.raise_event(
            "dispute.registered",
            DisputeRegistered(state=self.state, dispute_type=self.dispute_type),
        )
        if not self.platform_worker:
            limit = days_clock(ClockName.MEDIATION_LIMIT, self.application_received_at, calendar)
            self.open_clock(limit, at)
        if self.infringement_known_on is not None:
            self.open_clock(limitation_clock(self.infringement_known_on, calendar), at)
        received = min(aware(self.application_received_at), at)
        self.refresh_target(acceptance_target, received, saved, calendar, at)

    def accept(self, actor: Actor, at: datetime, calendar: WorkCalendar) -> None:
        """Acceptance review -> accepted; a platform worker's limit runs from here (2024 notice)."""
        self.take("accept", actor, at)
        self.accepted_at = at
        self.stop_clocks((ClockName.ACCEPTANCE_TARGET,), at)
        if self.platform_worker:
            self.open_clock(days_clock(ClockName.MEDIATION_LIMIT, at, calendar), at)
        self.raise_event("dispute.accepted", DisputeAccepted(state=self.state), actor)

    def assign(self, mediator: Mediator, duty_body_name: str, at: datetime) -> None:
        """Accepted -> assigned to the mediator the roster chose."""
        self.take("assign", SYSTEM, at, note=mediator.mediator_id)
        self.mediator_id, self.mediator_name = mediator.mediator_id, mediator.name
        self.duty_body = mediator.body_id
        self.raise_event(
            "mediator.assigned",
            MediatorAssigned(
                state=self.state,
                mediator_id=mediator.mediator_id,
                mediator_name=mediator.name,
                duty_body=duty_body_name,
            ),
        )

    @property
    def respondent_orgs(self) -> list[str]:
        return [str(r["party_id"]).removeprefix("org-") for r in self.respondents]

    def reassign(
        self, mediator: Mediator, duty_body_name: str, reason: str, actor: Actor, at: datetime
    ) -> None:
        """Handed to another mediator (objection, risk, the committee's choice)."""
        check_reassignable(State(self.state))
        previous = self.mediator_id or ""
        self.mediator_id, self.mediator_name = mediator.mediator_id, mediator.name
        self.duty_body = mediator.body_id
        note = f"{previous} -> {mediator.mediator_id}: {reason}"
        self.note("reassign", actor, at, note=note)
        self.raise_event(
            "mediator.reassigned",
            MediatorReassigned(
                state=self.state,
                mediator_id=mediator.mediator_id,
                mediator_name=mediator.name,
                duty_body=duty_body_name,
                previous_mediator_id=previous,
                reason=reason[:500],
            ),
            actor,
        )

    def reject(self, reason: str, actor: Actor, at: datetime) -> None:
        self.take("reject", actor, at, note=reason)
        self.outcome = self.state
        self.stop_clocks(MEDIATION_CLOCKS, at)
        self.raise_event(
            "dispute.rejected", DisputeRejected(state=self.state, reason=reason), actor
        )

    def respondent_decline(self, reason: str, actor: Actor, at: datetime) -> None:
        """PML 17: a party that clearly refuses means no mediation."""
        self.check_respondent(actor, "decline it")
        self.take("respondent_decline", actor, at, note=reason)
        self.outcome = self.state
        self.stop_clocks(MEDIATION_CLOCKS, at)
        self.raise_event(
            "dispute.respondent_declined",
            DisputeRespondentDeclined(state=self.state, reason=reason),
            actor,
        )
