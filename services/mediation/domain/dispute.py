"""The Dispute aggregate: a dispute's state, its kept clocks, its history and its events.

Every lifecycle step goes through a method here (checked by lifecycle.py, its clocks moved by
clocks.py's legal rules); the service layer loads a dispute from its repository, calls the
methods, saves it and publishes `events` through the outbox (cosmicpython's `Product.events`).
Nothing here does I/O. Its clock keeping is domain/dispute_clocks.py's (a mixin).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from services.mediation.domain.agreement import AgreementTerms, check_effective
from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    Deadline,
    check_extension,
    days_clock,
    limitation_clock,
    local_date,
    performance_clock,
)
from services.mediation.domain.dispute_clocks import (
    ClockKeeping,
    HistoryEntry,
    StateHistory,
    aware,
)
from services.mediation.domain.errors import AgainstTheRules, IllegalTransition, NotAllowed
from services.mediation.domain.kept_clocks import KeptClock, TimerOrder
from services.mediation.domain.lifecycle import (
    TRANSITIONS,
    State,
    check_reassignable,
    next_state,
)
from services.mediation.domain.roster import Mediator
from services.mediation.domain.targets import Target
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.common import Payload
from shared.contracts.events.mediation import (
    AgreementSigned,
    DeadlineExpired,
    DisputeAccepted,
    DisputeClosed,
    DisputeRegistered,
    DisputeRejected,
    DisputeRespondentDeclined,
    DisputeWaitingParty,
    MediationEnded,
    MediationExtended,
    MediationStarted,
    MediatorAssigned,
    MediatorReassigned,
    PerformanceNotPerformed,
    ReferredToArbitration,
)
from shared.contracts.raised import Raised

__all__ = ["Dispute", "HistoryEntry", "Raised", "StateHistory", "aware"]

MEDIATION_CLOCKS = (
    ClockName.ACCEPTANCE_TARGET,
    ClockName.MEDIATION_LIMIT,
    ClockName.MEDIATION_TARGET,
)
PARTY_WINDOWS = (ClockName.JUDICIAL_CONFIRMATION, ClockName.ARBITRATION_REVIEW)
EXPIRED_NOTE = "调解期限届满未达成协议，当事人可依法申请劳动争议仲裁。"
UNPERFORMED_NOTE = "履行期限届满，未见履行记录 / performance deadline passed unrecorded"
EXPIRABLE = TRANSITIONS["expire"][0]


@dataclass(eq=False)
class Dispute(ClockKeeping):
    case_id: uuid.UUID
    tracking_code: str
    state: str
    dispute_type: str
    title: str
    complainant_id: str
    application_received_at: datetime
    platform_worker: bool = False
    complainant_name: str = ""
    respondents: list[dict[str, Any]] = field(default_factory=list)
    mediator_id: str | None = None
    mediator_name: str | None = None
    duty_body: str | None = None
    agreement: dict[str, Any] | None = None
    performance_deadline: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    town: str | None = None
    company: str = ""
    company_key: str = ""
    filed_on: date | None = None
    filed_year: int | None = None
    filed_month: str | None = None
    risk: bool = False
    objected_mediators: list[str] = field(default_factory=list)
    infringement_known_on: date | None = None
    mediation_extended_days: int = 0
    accepted_at: datetime | None = None
    agreement_effective_at: datetime | None = None
    days_to_agreement: int | None = None
    outcome: str | None = None
    referred_at: datetime | None = None
    parent_case_id: uuid.UUID | None = None
    representatives: list[str] = field(default_factory=list)
    group_size: int = 0
    claim_amount_yuan: float | None = None
    companies: list[dict[str, Any]] = field(default_factory=list)
    history_count: int = 0
    # Its kept clocks by name, loaded with it.
    clocks: dict[str, KeptClock] = field(default_factory=dict)
    # Not yet saved: steps taken, clocks touched, timers ordered and events raised.
    history: list[HistoryEntry] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    timers: list[TimerOrder] = field(default_factory=list)
    events: list[Raised] = field(default_factory=list)

    # -- the generic moves -------------------------------------------------------------

    def take(self, action: str, actor: Actor, at: datetime, *, note: str = "") -> State:
        """Check and apply one transition; record it on the history."""
        target = next_state(action, State(self.state), actor.role)
        self.note(action, actor, at, note=note, to_state=target)
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
        """A history entry; without `to_state` it records an act that keeps the state."""
        self.history_count += 1
        to = to_state.value if to_state else self.state
        self.history.append(
            HistoryEntry(self.history_count, action, self.state, to, actor, at, note[:1000])
        )
        self.state, self.updated_at = to, at

    def raise_event(self, event_type: str, payload: Payload, actor: Actor = SYSTEM) -> None:
        self.events.append(Raised(event_type, payload, actor))

    def check_mediator(self, actor: Actor) -> None:
        if actor.role == "mediator" and actor.id != self.mediator_id:
            raise NotAllowed("only the assigned mediator may act on this dispute")

    def check_respondent(self, actor: Actor, what: str) -> None:
        if actor.role == "respondent" and actor.id not in {
            str(r["party_id"]) for r in self.respondents
        }:
            raise NotAllowed(f"only a respondent named in this dispute may {what}")

    # -- registration, acceptance and assignment --------------------------------------

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

    # -- mediation --------------------------------------------------------------------

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

    def end_without_agreement(
        self, action: str, event_type: str, reason: str, actor: Actor, at: datetime
    ) -> None:
        """Failed / expired / withdrawn: the clocks stop and the arbitration route is named."""
        self.take(action, actor, at, note=reason)
        self.outcome = self.state
        self.stop_clocks(MEDIATION_CLOCKS, at)
        limitation = self.clock_due_on(ClockName.ARBITRATION_LIMITATION)
        self.raise_event(
            event_type,
            MediationEnded(state=self.state, reason=reason, arbitration_limitation_on=limitation),
            actor,
        )

    def withdraw(self, reason: str, actor: Actor, at: datetime) -> None:
        """The complainant withdraws at any time before an agreement (PML 23)."""
        if actor.role == "complainant" and actor.id != self.complainant_id:
            raise NotAllowed("only the complainant of this dispute may withdraw it")
        self.end_without_agreement("withdraw", "dispute.withdrawn", reason, actor, at)

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

    # -- endings ----------------------------------------------------------------------

    def refer_to_arbitration(
        self, reason: str, actor: Actor, at: datetime, *, payment_order: bool
    ) -> None:
        self.take("refer_to_arbitration", actor, at, note=reason)
        self.referred_at = at
        self.stop_clocks((ClockName.ARBITRATION_LIMITATION, *PARTY_WINDOWS), at)
        self.raise_event(
            "dispute.referred_to_arbitration",
            ReferredToArbitration(
                state=self.state, reason=reason, payment_order_eligible=payment_order
            ),
            actor,
        )

    def close(self, actor: Actor, at: datetime) -> None:
        """Closed; the limitation clock keeps running for a party without a remedy."""
        outcome = self.state
        self.take("close", actor, at)
        self.outcome = self.outcome or outcome
        self.stop_clocks((*MEDIATION_CLOCKS, ClockName.PERFORMANCE, *PARTY_WINDOWS), at)
        self.raise_event("dispute.closed", DisputeClosed(state="closed", outcome=outcome), actor)

    def expire(self, name: ClockName, at: datetime, calendar: WorkCalendar) -> bool:
        """A clock ran out: announced, and the law's effect taken (the mediation limit ends
        mediation; the performance date unrecorded is non-performance). True when mediation
        ended by it."""
        kept = self.clocks[name.value]
        kept.status, kept.updated_at = "expired", at
        self.touched.add(name.value)
        assert kept.due_on is not None
        self.raise_event(
            "deadline.expired",
            DeadlineExpired(clock=kept.clock, due_on=kept.due_on, **self.moved(kept, calendar)),
        )
        state = State(self.state)
        if name == ClockName.MEDIATION_LIMIT and state in EXPIRABLE:
            self.end_without_agreement("expire", "mediation.expired", EXPIRED_NOTE, SYSTEM, at)
            return True
        if name == ClockName.PERFORMANCE and state is State.PERFORMANCE_MONITORING:
            self.take("record_non_performance", SYSTEM, at, note=UNPERFORMED_NOTE)
            self.raise_event(
                "performance.not_performed",
                PerformanceNotPerformed(state=self.state, note=UNPERFORMED_NOTE),
            )
        return False
