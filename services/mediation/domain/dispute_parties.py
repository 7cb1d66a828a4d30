"""Who a dispute is between: the application completed before acceptance (amount, town,
respondents), and a group dispute's representatives and its members' lines (LDMAL 7).

A group is a parent case carrying the lifecycle and member cases that stay `group_member`,
each with its worker's own line of the agreement's schedule and whether it was performed.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import period_end
from services.mediation.domain.dispute_history import HistoryKeeping
from services.mediation.domain.errors import AgainstTheRules, Incomplete, NotAllowed
from services.mediation.domain.lifecycle import State
from services.mediation.domain.time_order import check_non_performance
from shared.contracts.envelope import SYSTEM, Actor
from shared.contracts.events.mediation import (
    DisputeRegistered,
    GroupLinked,
    MemberPerformanceRecorded,
)

MAX_REPRESENTATIVES = 5  # LDMAL 7 leaves the number open; the contract allows up to 20


def counted_title(title: str, size: int) -> str:
    """Intake titles a group "集体争议（12人）…": a member who joins later counts too."""
    if not size:
        return title
    return re.sub(r"^集体争议（\d+人）", f"集体争议（{size}人）", title)[:200]


class Parties(HistoryKeeping):
    """Mixed into `Dispute`, whose dataclass fields these are."""

    title: str
    dispute_type: str

    claim_amount_yuan: float | None
    town: str | None
    company: str
    company_key: str
    companies: list[dict[str, Any]]
    group_size: int
    representatives: list[str]
    parent_case_id: uuid.UUID | None
    agreement: dict[str, Any] | None
    performance_deadline: date | None
    outcome: str | None

    def supplement(
        self,
        note: str,
        actor: Actor,
        at: datetime,
        *,
        claim_amount_yuan: float | None = None,
        town: str | None = None,
        respondents: list[dict[str, Any]] | None = None,
        companies: list[dict[str, str]] | None = None,
        company_key: str = "",
    ) -> list[dict[str, str]]:
        """The view takes what the application now says (the same twice leaves the same view);
        answers the companies it names for the first time (the pattern index counts them)."""
        added: list[dict[str, str]] = []
        if claim_amount_yuan is not None:
            self.claim_amount_yuan = claim_amount_yuan
        if town is not None:
            self.town = town
        if respondents:
            before = {c["key"] for c in self.companies}
            self.respondents = respondents
            self.companies = list(companies or [])
            self.company = str(respondents[0]["display_name"])
            self.company_key = company_key
            added = [c for c in self.companies if c["key"] not in before]
        self.note("supplement", actor, at, note=f"申请材料已补充：{note}")
        return added

    def join_group(self, representatives: list[str], at: datetime) -> None:
        """A member case filed with a parent follows it: registered as `group_member`, told
        who represents the group (none yet when it is filed before its parent)."""
        assert self.parent_case_id is not None
        self.note("join_group", SYSTEM, at, note=str(self.parent_case_id))
        self.state = State.GROUP_MEMBER.value
        self.raise_event(
            "dispute.registered",
            DisputeRegistered(state=self.state, dispute_type=self.dispute_type),
        )
        self.raise_event(
            "dispute.group_linked",
            GroupLinked(
                parent_case_id=str(self.parent_case_id),
                representative_party_ids=list(representatives),
            ),
        )

    def count_members(self, size: int) -> None:
        """The parent counts its members: its headcount, and the title intake gave it."""
        self.group_size = size
        self.title = counted_title(self.title, size)

    def require_group(self) -> None:
        if not self.group_size:
            raise AgainstTheRules("not a group dispute: it has no member cases")

    def elect_representatives(
        self, party_ids: list[str], eligible: set[str], actor: Actor, at: datetime
    ) -> None:
        """The representatives the members elected; each must be a member's complainant
        (`eligible`: the parent's and its members')."""
        if actor.role not in ("committee", "mediator"):
            raise NotAllowed(f"a {actor.role} may not record representatives")
        self.check_mediator(actor)
        self.require_group()
        if not 1 <= len(party_ids) <= MAX_REPRESENTATIVES:
            raise Incomplete("party_ids", f"elect 1 to {MAX_REPRESENTATIVES} representatives")
        unknown = [p for p in party_ids if p not in eligible]
        if unknown:
            raise Incomplete("party_ids", f"not complainants of this group: {', '.join(unknown)}")
        self.representatives = list(dict.fromkeys(party_ids))
        self.note("elect_representatives", actor, at, note=",".join(self.representatives))

    def check_member_report(self, actor: Actor) -> None:
        """Who may report on a member's line, and only while the group's agreement is performed."""
        self.check_mediator(actor)
        self.check_respondent(actor, "report performance")
        if actor.role not in ("mediator", "committee", "respondent"):
            raise NotAllowed(f"a {actor.role} may not record performance")
        self.require_group()
        if self.state != State.PERFORMANCE_MONITORING.value:
            raise AgainstTheRules(f"the group's agreement is not being performed ({self.state})")

    def line_of(self, member_id: uuid.UUID) -> dict[str, Any]:
        """A member's line of the group agreement's schedule (empty when it has none)."""
        schedule = (self.agreement or {}).get("schedule", [])
        return next((e for e in schedule if str(e["case_id"]) == str(member_id)), {})

    def record_line_performance(
        self,
        parent: Parties,
        performed: bool,
        note: str,
        actor: Actor,
        at: datetime,
        calendar: WorkCalendar,
    ) -> None:
        """This member's line was performed, or not: not performed only once its own period
        ran out (its line's date, or the agreement's, moved off a rest day or holiday)."""
        if self.parent_case_id != parent.case_id:
            raise Incomplete("member_case_id", "not a member of this group")
        line = parent.line_of(self.case_id)
        if not performed:
            own = date.fromisoformat(str(line["due_on"])) if line.get("due_on") else None
            last = own or parent.performance_deadline
            check_non_performance(period_end(last, calendar).due_on if last else None, at)
        self.outcome = "performed" if performed else "non_performance"
        action = "record_performed" if performed else "record_non_performance"
        self.note(action, actor, at, note=note)
        self.raise_event(
            "dispute.member_performance",
            MemberPerformanceRecorded(
                parent_case_id=str(parent.case_id),
                performed=performed,
                amount_yuan=line.get("amount_yuan"),
                note=note,
            ),
            actor,
        )
