"""Internal service targets: working days on the PRC calendar, paused while waiting on a party.

Unlike legal clocks, a target pauses. The pauses are never stored: they are rebuilt from the
dispute's state history every time the due day is needed (so changing the calendar or the
target recomputes correctly, and no due date is ever edited by hand).

Counting rule: the start day is not counted; a working day counts towards the target unless
the dispute spent any part of it in a paused state (waiting on a party). The target is due at
the end of the day on which the N-th counted working day falls. While the dispute is paused
there is no due day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.clocks import local_date


class Target(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    working_days: int = Field(ge=1, le=365)


Interval = tuple[datetime, datetime | None]


def pauses(
    history: Iterable[tuple[datetime, str]], paused_states: frozenset[str]
) -> list[Interval]:
    """Intervals spent in a paused state, from (time, state entered) pairs in time order."""
    out: list[Interval] = []
    since: datetime | None = None
    for at, state in history:
        if state in paused_states and since is None:
            since = at
        elif state not in paused_states and since is not None:
            out.append((since, at))
            since = None
    if since is not None:
        out.append((since, None))
    return out


def paused_days(intervals: Sequence[Interval], until: date) -> set[date]:
    """Every local day touched by a pause; an open pause covers every day up to `until`."""
    days: set[date] = set()
    for start, end in intervals:
        day, last = local_date(start), local_date(end) if end else until
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def target_due(
    target: Target,
    started_at: datetime,
    intervals: Sequence[Interval],
    calendar: WorkCalendar,
) -> date | None:
    """The due day given the pauses so far, or None while a pause is still open."""
    if intervals and intervals[-1][1] is None:
        return None
    start = local_date(started_at)
    horizon = start + timedelta(days=366 + 3 * target.working_days)
    skipped = paused_days(intervals, horizon)
    return calendar.add_working_days(start, target.working_days, skip=skipped.__contains__)


def working_days_used(
    started_at: datetime, now: datetime, intervals: Sequence[Interval], calendar: WorkCalendar
) -> int:
    """Working days counted so far (the day of `now` included once it is unpaused)."""
    start, today = local_date(started_at), local_date(now)
    skipped = paused_days(intervals, today)
    used, day = 0, start
    while day < today:
        day += timedelta(days=1)
        if calendar.is_working_day(day) and day not in skipped:
            used += 1
    return used
