"""The Dispute aggregate in mediation: started, waiting on a party and resumed, extended (a
platform worker's limit, once), and the agreement signed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from services.mediation.domain.agreement import AgreementTerms, check_effective
from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    Deadline,
    check_extension,
    days_clock,
    local_date,
    performance_clock,
)
from services.mediation.domain.dispute_history import (
    MEDIATION_CLOCKS,
    PARTY_WINDOWS,
    HistoryKeeping,
)
from services.mediation.domain.errors import AgainstTheRules, IllegalTransition, NotAllowed
from services.mediation.domain.lifecycle import State
from shared.contracts.envelope import Actor
from shared.contracts.events.mediation import (
    AgreementSigned,
    DisputeWaitingParty,
    MediationExtended,
    MediationStarted,
)


class Mediation(HistoryKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    platform_worker: bool
    accepted_at: datetime | None
    application_received_at: datetime
    agreement: dict[str, Any] | None
    agreement_effective_at: datetime | None
    days_to_agreement: int | None

    def start(self, actor: Actor, at: datetime) -> None:
        self.take("start", actor, at)
        self.raise_event("mediation.started", MediationStarted(state=self.state), actor)

    def wait_for_party(
        self,
        waiting_on: Literal["complainant", "respondent"],
        reason: str,
        actor: Actor,
        at: datetime,
    ) -> None:
        self.take("wait_for_party", actor, at, note=f"{waiting_on}: {reason}")
        self.raise_event(
            "dispute.waiting_party",
            DisputeWaitingParty(state=self.state, waiting_on=waiting_on, reason=reason),
            actor,
        )

    def resume(self, note: str, actor: Actor, at: datetime) -> None:
        self.take("resume", actor, at, note=note)
        self.raise_event("mediation.resumed", MediationStarted(state=self.state, note=note), actor)

    def extend(
        self,
        days: int,
        consents: tuple[bool, bool],
        note: str,
        actor: Actor,
        at: datetime,
        calendar: WorkCalendar,
    ) -> Deadline:
        """Platform-worker disputes: one extension of at most 15 days with both consents."""
        if actor.role not in ("mediator", "committee"):
            raise NotAllowed(f"a {actor.role} may not extend the mediation limit")
        if State(self.state) not in (State.ASSIGNED, State.IN_MEDIATION, State.WAITING_PARTY):
            raise IllegalTransition("extend", self.state)
        if not self.platform_worker or self.accepted_at is None:
            raise AgainstTheRules(
                "only a platform-worker dispute's mediation limit can be extended"
            )
        check_extension(days, self.mediation_extended_days > 0, consents)
        due = days_clock(ClockName.MEDIATION_LIMIT, self.accepted_at, calendar, extra_days=days)
        self.open_clock(due, at)
        self.mediation_extended_days = days
        self.note("extend", actor, at, note=f"+{days} days, both consented. {note}")
        self.raise_event(
            "mediation.extended",
            MediationExtended(
                state=self.state,
                new_limit_on=due.due_on,
                consent_recorded=True,
                nominal_limit_on=due.nominal_due_on if due.moved_because else None,
                moved_because=due.moved_because,
                calendar_missing=due.calendar_missing,
            ),
            actor,
        )
        return due

    def sign_agreement(
        self, terms: AgreementTerms, actor: Actor, at: datetime, calendar: WorkCalendar
    ) -> None:
        """Signed and sealed, it takes effect (LDMAL 14): the party windows and the
        performance clock start, and performance is monitored."""
        check_effective(terms, local_date(at))
        self.take("sign_agreement", actor, at)
        agreement_id = f"agr-{uuid.uuid4().hex[:12]}"
        self.agreement = {
            "agreement_id": agreement_id,
            "effective_at": at.isoformat(),
            **terms.model_dump(mode="json"),
        }
        self.performance_deadline = terms.performance_deadline
        self.agreement_effective_at = at
        received = local_date(self.application_received_at)
        self.days_to_agreement = (local_date(at) - received).days
        self.take("monitor_performance", actor, at)
        self.stop_clocks(MEDIATION_CLOCKS, at)
        for clock in PARTY_WINDOWS:
            self.open_clock(days_clock(clock, at, calendar), at)
        performance = performance_clock(terms.performance_deadline, at, calendar)
        self.open_clock(performance, at)
        self.raise_event(
            "agreement.signed",
            AgreementSigned(
                state=self.state,
                agreement_id=agreement_id,
                terms=terms.terms,
                performance_deadline=terms.performance_deadline,
                performance_due_on=performance.due_on if performance.moved_because else None,
                performance_moved_because=performance.moved_because,
            ),
            actor,
        )
