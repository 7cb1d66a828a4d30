"""One glossary: every code a person can see, in zh-CN and English.

The console, intake's tracking page, notify's templates and the agreement PDF all name codes
through `term(kind, code, lang)`, so a state, a clock or a town reads the same everywhere; times
go through `written_time` (Asia/Shanghai) and a service's refusal through `explain`. A code the
glossary does not know is returned as it is: the zh-CN page tests fail on one.
"""

from __future__ import annotations

from typing import Final, Literal

from shared.contracts.glossary.categories import DISPUTE_TYPES, HAZARD_CATEGORIES
from shared.contracts.glossary.community import (
    COMPOUND_LEADS,
    CONSULTATION_OUTCOMES,
    CONSULTATION_STATUSES,
    EXCHANGE_REFUSALS,
    MATCHED_BY,
    PARTICIPANT_SIDES,
    REDEMPTION_STATES,
)
from shared.contracts.glossary.errors import explain
from shared.contracts.glossary.events import ACTIONS, EVENTS
from shared.contracts.glossary.people import BODIES, BODY_KINDS, CHANNELS, MEDIATORS, ROLES, TOWNS
from shared.contracts.glossary.places import FACILITIES, STATION_KINDS, STATION_STATUSES
from shared.contracts.glossary.states import (
    ALERT_STATUSES,
    CLOCK_STATUSES,
    CLOCKS,
    DELIVERY_STATUSES,
    RECEIVED_VIA,
    SESSION_STATUSES,
    STATES,
    URGENCY,
)
from shared.contracts.glossary.times import (
    REST_REASONS,
    calendar_missing_words,
    moved_words,
    written_date,
    written_time,
)

Lang = Literal["zh", "en"]

TERMS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "category": HAZARD_CATEGORIES,
    "dispute_type": DISPUTE_TYPES,
    "state": STATES,
    "clock": CLOCKS,
    "clock_status": CLOCK_STATUSES,
    "session_status": SESSION_STATUSES,
    "delivery_status": DELIVERY_STATUSES,
    "alert_status": ALERT_STATUSES,
    "urgency": URGENCY,
    "received_via": RECEIVED_VIA,
    "role": ROLES,
    "channel": CHANNELS,
    "town": TOWNS,
    "body_kind": BODY_KINDS,
    "body": BODIES,
    "mediator": MEDIATORS,
    "event": EVENTS,
    "action": ACTIONS,
    "redemption_state": REDEMPTION_STATES,
    "exchange_refusal": EXCHANGE_REFUSALS,
    "compound_lead": COMPOUND_LEADS,
    "matched_by": MATCHED_BY,
    "consultation_status": CONSULTATION_STATUSES,
    "consultation_outcome": CONSULTATION_OUTCOMES,
    "participant_side": PARTICIPANT_SIDES,
    "station_kind": STATION_KINDS,
    "facility": FACILITIES,
    "station_status": STATION_STATUSES,
    "rest_reason": REST_REASONS,
}

__all__ = [
    "TERMS",
    "Lang",
    "calendar_missing_words",
    "codes",
    "explain",
    "moved_words",
    "term",
    "written_date",
    "written_time",
]


def term(kind: str, code: str | None, lang: str = "zh") -> str:
    """The word for `code` of `kind` in `lang` (zh-CN unless "en"); the code if unknown."""
    if not code:
        return ""
    pair = TERMS.get(kind, {}).get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def codes(kind: str) -> tuple[str, ...]:
    """Every code of `kind`, in the glossary's order (a form's choices)."""
    return tuple(TERMS.get(kind, {}))
