"""When an application reached the committee, and who received it how.

LDMAL 14 counts the mediation limit "from receipt of the application": a paper or oral
application typed in days later still runs from the day it arrived. Filing therefore takes a
received date and time: by default now; never in the future; earlier than now only with who
received it and how, which goes on the timeline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.intake.domain.errors import InvalidField
from shared.contracts.glossary.states import RECEIVED_VIA

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A received time this close to now is "now" (clock skew, a form filled in for a minute).
SAME_MOMENT = timedelta(minutes=5)


def received_moment(
    received_at: datetime | None, received_by: str | None, received_via: str | None, now: datetime
) -> tuple[datetime, bool]:
    """The moment the clocks run from, and whether it is earlier than the filing (late entry).

    Raises InvalidField naming the field and the rule it breaks.
    """
    if received_at is None:
        return now, False
    if received_at > now + SAME_MOMENT:
        raise InvalidField("received_at", "the application cannot be received in the future")
    if received_at >= now - SAME_MOMENT:
        return min(received_at, now), False
    if not received_by:
        raise InvalidField(
            "received_by", "an application received earlier than now needs who received it"
        )
    if received_via not in RECEIVED_VIA:
        raise InvalidField(
            "received_via",
            "an application received earlier than now needs how it arrived: "
            + ", ".join(RECEIVED_VIA),
        )
    return received_at, True


def local_words(at: datetime) -> tuple[str, str]:
    """A moment as a person reads it, Asia/Shanghai: ('2026年12月3日 14:05', '3 Dec 2026 14:05')."""
    local = at.astimezone(SHANGHAI)
    zh = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return zh, f"{local.day} {local:%b %Y %H:%M}"
