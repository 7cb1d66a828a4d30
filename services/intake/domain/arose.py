"""When the dispute arose: the start of the one-year arbitration limitation (LDMAL 27).

Every dispute carries the limitation clock, so filing asks for the day the dispute
arose. Not knowing it is allowed, but only said outright (`dispute_arose_on_unknown`); the
committee then sees the dispute flagged "时效起算日不详". The day cannot lie after the
application was received, nor after today.
"""

from __future__ import annotations

from datetime import date, datetime

from services.intake.domain.errors import InvalidField
from services.intake.domain.receipt import SHANGHAI

FIELD = "dispute_arose_on"


def check_arose_on(
    arose_on: date | None, unknown: bool, received_at: datetime, now: datetime
) -> date | None:
    """The day the limitation runs from, or None when it was said to be unknown.

    Raises InvalidField naming `dispute_arose_on` and the rule it breaks.
    """
    if arose_on is None:
        if not unknown:
            raise InvalidField(
                FIELD,
                "the day the dispute arose is required"
                " (or say it is unknown: dispute_arose_on_unknown)",
            )
        return None
    if unknown:
        raise InvalidField(FIELD, "give the day the dispute arose or say it is unknown, not both")
    if arose_on > now.astimezone(SHANGHAI).date():
        raise InvalidField(FIELD, "the dispute cannot arise after today")
    if arose_on > received_at.astimezone(SHANGHAI).date():
        raise InvalidField(FIELD, "the dispute cannot arise after the application was received")
    return arose_on
