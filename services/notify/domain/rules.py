"""Who hears about what: one row per (event, party), with its template and whether it is critical.

Critical notices are legally required (agreement effect, deadline expiry, arbitration rights):
they ignore opt-outs and quiet hours. Templates live in `templates/<locale>/<template>.j2`.

Parties are selectors, resolved in `service_layer/recipients.py`:
- `complainant`, `respondent`, `reporter`, `followers`: the case's contacts with that role;
- `new_follower`: the follower a `case.merged` event names; `credited_reporter`: the contact
  whose party id a `points.credited`, `points.redeemed` or `reward.handed_over` event names;
  `waited_party`: the side a `dispute.waiting_party` event waits on;
- `mediator`: the payload's `mediator_id`, else the case's current mediator;
  `previous_mediator`: `previous_mediator_id`;
- `department`: the payload's `department_id`, else the department the hazard was last
  dispatched to; `escalation`: `escalated_to`; `committee`: the mediation committee;
  `company`: the company an industry consultation is with, when the channel directory has its
  contact (`company:<pattern key>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PartyRole = Literal[
    "complainant",
    "respondent",
    "reporter",
    "followers",
    "new_follower",
    "code_holder",
    "credited_reporter",
    "waited_party",
    "mediator",
    "previous_mediator",
    "committee",
    "department",
    "escalation",
    "company",
]


@dataclass(frozen=True)
class Rule:
    party: PartyRole
    template: str
    critical: bool = False
    # Only when payload[field] is one of these values (e.g. the clock of a deadline event).
    only_if: tuple[str, frozenset[str]] | None = None

    def applies(self, payload: dict[str, object]) -> bool:
        if self.only_if is None:
            return True
        field, values = self.only_if
        return str(payload.get(field)) in values


def _clocks(*names: str) -> tuple[str, frozenset[str]]:
    return ("clock", frozenset(names))


# Clocks the parties themselves must act on; the `*_target` clocks are the committee's own.
_PARTY_CLOCKS = _clocks(
    "mediation_limit", "judicial_confirmation", "arbitration_review", "performance"
)
_LIMITATION = _clocks("arbitration_limitation")
_MEDIATOR_CLOCKS = _clocks("mediation_limit", "performance")


def _both(template: str, *, critical: bool = False) -> tuple[Rule, Rule]:
    return Rule("complainant", template, critical), Rule("respondent", template, critical)


RULES: dict[str, tuple[Rule, ...]] = {
    # intake
    "case.filed": (Rule("complainant", "case_filed"), Rule("reporter", "case_filed")),
    # Right after the filing: where to go now (legal help for a dispute, an open station for a
    # hazard's reporter), from dispatch's station register.
    "station.suggested": (
        Rule("complainant", "station_suggested", only_if=("purpose", frozenset({"legal_help"}))),
        Rule("reporter", "station_suggested", only_if=("purpose", frozenset({"open_station"}))),
    ),
    "case.corrected": (Rule("reporter", "case_corrected"),),
    "case.merged": (Rule("new_follower", "case_merged_follower"),),
    # The code goes to the rider alone, at once (it expires in minutes), never to the inbox.
    "rider.code_requested": (Rule("code_holder", "rider_code", critical=True),),
    "case.unmerged": (Rule("reporter", "case_unmerged"),),
    # The applicant hears the application was completed; a respondent hears nothing at filing,
    # so nothing now either (a new e-mail is remembered for the notices to come).
    "dispute.supplemented": (Rule("complainant", "dispute_supplemented"),),
    # mediation
    "dispute.registered": (Rule("committee", "dispute_registered_committee"),),
    "dispute.accepted": _both("dispute_accepted"),
    "dispute.rejected": (Rule("complainant", "dispute_rejected"),),
    "dispute.respondent_declined": (
        Rule("complainant", "respondent_declined", critical=True),
        Rule("committee", "respondent_declined_committee"),
    ),
    "mediator.assigned": (
        *_both("mediator_assigned"),
        Rule("mediator", "mediator_assigned_mediator"),
    ),
    "mediator.reassigned": (
        *_both("mediator_reassigned"),
        Rule("mediator", "mediator_assigned_mediator"),
        Rule("previous_mediator", "mediator_reassigned_previous"),
    ),
    "session.scheduled": (*_both("session_scheduled"), Rule("mediator", "session_scheduled")),
    # A move is told as a change (the old and the new time, why), never as a new session.
    "session.rescheduled": (
        *_both("session_rescheduled"),
        Rule("mediator", "session_rescheduled"),
    ),
    "session.reminder": (*_both("session_reminder"), Rule("mediator", "session_reminder")),
    "mediation.started": _both("mediation_started"),
    "mediation.resumed": _both("mediation_resumed"),
    "dispute.waiting_party": (Rule("waited_party", "waiting_party"),),
    "mediation.extended": (*_both("mediation_extended"), Rule("committee", "mediation_extended")),
    "mediation.failed": (
        *_both("mediation_failed", critical=True),
        Rule("committee", "mediation_ended_committee"),
    ),
    "mediation.expired": (
        *_both("mediation_expired", critical=True),
        Rule("committee", "mediation_ended_committee"),
        Rule("mediator", "mediation_ended_committee"),
    ),
    "dispute.withdrawn": (
        *_both("dispute_withdrawn"),
        Rule("mediator", "dispute_withdrawn"),
    ),
    "dispute.referred_to_arbitration": (
        *_both("referred_to_arbitration", critical=True),
        Rule("committee", "referred_to_arbitration_committee"),
    ),
    "deadline.warning": (
        Rule("complainant", "deadline_warning", only_if=_PARTY_CLOCKS),
        Rule("respondent", "deadline_warning", only_if=_PARTY_CLOCKS),
        Rule("complainant", "deadline_warning", only_if=_LIMITATION),
        Rule("mediator", "deadline_warning", only_if=_MEDIATOR_CLOCKS),
        Rule("committee", "deadline_warning"),
    ),
    "deadline.expired": (
        Rule("complainant", "deadline_expired", critical=True, only_if=_PARTY_CLOCKS),
        Rule("respondent", "deadline_expired", critical=True, only_if=_PARTY_CLOCKS),
        Rule("complainant", "deadline_expired", critical=True, only_if=_LIMITATION),
        Rule("mediator", "deadline_expired", only_if=_MEDIATOR_CLOCKS),
        Rule("committee", "deadline_expired"),
    ),
    "pattern.alert": (Rule("committee", "pattern_alert"),),
    # industry consultations (no case): the committee's record, and the company's contacts
    "consultation.opened": (
        Rule("committee", "consultation_opened"),
        Rule("company", "consultation_opened"),
    ),
    "consultation.session_recorded": (
        Rule("committee", "consultation_session"),
        Rule("company", "consultation_session"),
    ),
    "consultation.agreed": (
        Rule("committee", "consultation_agreed"),
        Rule("company", "consultation_agreed"),
    ),
    "dispute.group_linked": (Rule("complainant", "group_linked"),),
    # on a member case: every member hears what the group reached, with their own line
    "dispute.group_notice": (Rule("complainant", "group_notice", critical=True),),
    "dispute.member_performance": (Rule("complainant", "member_performance"),),
    "agreement.signed": _both("agreement_signed", critical=True),
    "performance.performed": (*_both("performance_performed"),),
    "performance.not_performed": (
        Rule("complainant", "performance_not_performed", critical=True),
        Rule("respondent", "performance_not_performed", critical=True),
        Rule("committee", "performance_not_performed"),
    ),
    "dispute.closed": (*_both("case_closed"),),
    # dispatch
    "hazard.dispatched": (
        Rule("department", "hazard_dispatched_department"),
        Rule("reporter", "hazard_dispatched"),
    ),
    # The department a ticket was taken from (payload department_id) hears it is no longer
    # theirs; the reporter hears of the new department through hazard.dispatched.
    "hazard.withdrawn": (Rule("department", "hazard_withdrawn_department"),),
    "hazard.acknowledged": (Rule("reporter", "hazard_acknowledged"),),
    "hazard.progress_noted": (
        Rule("reporter", "hazard_progress_noted"),
        Rule("followers", "hazard_progress_noted"),
    ),
    "hazard.target_warning": (Rule("department", "hazard_target_warning"),),
    "hazard.escalated": (
        Rule("escalation", "hazard_escalated"),
        Rule("department", "hazard_escalated_department"),
    ),
    "hazard.resolved": (
        Rule("reporter", "hazard_resolved"),
        Rule("followers", "hazard_resolved"),
    ),
    "hazard.urged": (Rule("department", "hazard_urged_department"),),
    "hazard.confirmed_fixed": (Rule("department", "hazard_confirmed_fixed_department"),),
    "hazard.reopened": (
        Rule("department", "hazard_reopened_department"),
        Rule("followers", "hazard_reopened"),
    ),
    "hazard.cancelled": (
        Rule("reporter", "hazard_cancelled"),
        Rule("followers", "hazard_cancelled"),
        Rule("department", "hazard_cancelled"),
    ),
    "hazard.closed": (Rule("reporter", "case_closed"), Rule("followers", "case_closed")),
    "points.credited": (Rule("credited_reporter", "points_credited"),),
    "points.redeemed": (Rule("credited_reporter", "points_redeemed"),),
    "reward.handed_over": (Rule("credited_reporter", "reward_handed_over"),),
    "compound.report_linked": (Rule("department", "compound_report_linked_department"),),
}

# Events about no case: the envelope's case id is the consultation's own id.
CASE_FREE = frozenset(
    {"consultation.opened", "consultation.session_recorded", "consultation.agreed"}
)

# Catalogued events nobody is told about, and why. A test checks RULES + SILENT = catalogue.
SILENT: dict[str, str] = {
    "reporter.confirmed_fixed": "the reporter's own answer; dispatch's hazard.confirmed_fixed "
    "tells the department",
    "reporter.reported_not_fixed": "the reporter's own answer; hazard.reopened tells the "
    "department and followers",
    "case.attachment_added": "a party's own upload; shown on the timeline",
    "department.update_posted": "the department's own system; dispatch turns it into hazard.* "
    "events, which are told",
    "session.held": "the parties were there; the summary is on the timeline",
    "hazard.declined": "re-routing follows at once as hazard.dispatched (rerouted_from), which "
    "is told",
    "hazard.marked_duplicate": "the reporter hears it as a follower through case.merged on the "
    "original, which carries the original's tracking code",
    "notification.delivered": "notify's own outcome",
    "roster.published": "configuration, not a case: dispatch shows the duty on station pages",
    "notification.failed": "notify's own alert, for operators' monitoring (not a party message)",
}


def rules_for(event_type: str, payload: dict[str, object]) -> tuple[Rule, ...]:
    """The rows of `event_type` that apply to this payload."""
    return tuple(r for r in RULES.get(event_type, ()) if r.applies(payload))
