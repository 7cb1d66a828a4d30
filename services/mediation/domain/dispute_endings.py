"""The Dispute aggregate's endings: mediation ended without agreement (failed, withdrawn,
expired), referred to arbitration, closed, and what a clock running out does by law."""

from __future__ import annotations

from datetime import datetime

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import ClockName
from services.mediation.domain.dispute_history import (
    MEDIATION_CLOCKS,
    PARTY_WINDOWS,
    HistoryKeeping,
)
from services.mediation.domain.errors import NotAllowed
from services.mediation.domain.lifecycle import TRANSITIONS, State
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.mediation import (
    DeadlineExpired,
    DisputeClosed,
    MediationEnded,
    PerformanceNotPerformed,
    ReferredToArbitration,
)

EXPIRED_NOTE = "调解期限届满未达成协议，当事人可依法申请劳动争议仲裁。"
UNPERFORMED_NOTE = "履行期限届满，未见履行记录 / performance deadline passed unrecorded"
EXPIRABLE = TRANSITIONS["expire"][0]


class Endings(HistoryKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    outcome: str | None
    referred_at: datetime | None

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
