"""Who hears about what: one row per (event, party), with its template and whether it is critical.

Critical notices are legally required (agreement effect, deadline expiry, arbitration rights):
they ignore opt-outs and quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PartyRole = Literal[
    "complainant", "respondent", "reporter", "followers", "mediator", "committee", "department"
]


@dataclass(frozen=True)
class Rule:
    party: PartyRole
    template: str
    critical: bool = False


RULES: dict[str, tuple[Rule, ...]] = {
    "case.filed": (
        Rule("complainant", "case_filed"),
        Rule("reporter", "case_filed"),
    ),
    "mediator.assigned": (
        Rule("complainant", "mediator_assigned"),
        Rule("respondent", "mediator_assigned"),
        Rule("mediator", "mediator_assigned_mediator"),
    ),
    "agreement.signed": (
        Rule("complainant", "agreement_signed", critical=True),
        Rule("respondent", "agreement_signed", critical=True),
    ),
    "performance.performed": (Rule("complainant", "performance_performed"),),
    "performance.not_performed": (
        Rule("complainant", "performance_not_performed", critical=True),
        Rule("committee", "performance_not_performed"),
    ),
    "dispute.closed": (
        Rule("complainant", "case_closed"),
        Rule("respondent", "case_closed"),
    ),
    "hazard.dispatched": (
        Rule("department", "hazard_dispatched_department"),
        Rule("reporter", "hazard_dispatched"),
    ),
    "hazard.resolved": (Rule("reporter", "hazard_resolved"),),
    "hazard.closed": (Rule("reporter", "case_closed"),),
}


def rules_for(event_type: str) -> tuple[Rule, ...]:
    return RULES.get(event_type, ())
