"""Legal clocks of a dispute: when each starts, when it is due, when to warn.

What is implemented (the counting rules of reference/mediation-law.md are marked M =
unverified there; these choices are deliberate and tested):

- Days are reckoned in Asia/Shanghai local time; instants are stored in UTC.
- Legal clocks count **calendar days and never pause**. The start day is not counted: a clock
  of N days started on day D is due on D + N and runs out when that day ends (00:00 local of
  D + N + 1); that instant is when `deadline.expired` and its action fire.
- Holiday rule (Civil Procedure Law on periods, M): a period **within which a party must act**
  (judicial confirmation 30 d, arbitration review 15 d, arbitration limitation 1 y) that ends on
  a rest day or holiday ends on the next working day of the PRC calendar (with 调休). The
  mediation limit (a duty of the mediation body, LDMAL 14 / 2024 notice) and the agreed
  performance date are NOT moved: moving them would only delay the party's right to arbitrate.
- Mediation limit: 15 days from receipt of the application (LDMAL 14); for platform-worker
  disputes 15 days from acceptance, extendable once by at most 15 days with both parties'
  recorded consent (2024 notice). Enterprise-committee rules (Order 17, M) are not encoded.
- Arbitration limitation: one year from the day the infringement was known (the dispute's
  `dispute_arose_on`); the same date next year (29 Feb -> 28 Feb). Interruption by the
  mediation application is an interpretation (M) and is NOT applied, so the date shown is
  the earliest possible one: the conservative date to warn about.
- Warnings fire at 09:00 local on the day `days_left` calendar days before the due day
  (15-day clock: day 10 and day 13); a warning whose time has already passed is not sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.errors import AgainstTheRules, Incomplete

SHANGHAI = ZoneInfo("Asia/Shanghai")
WARNING_HOUR = time(9, 0)
MAX_EXTENSION_DAYS = 15


class ClockName(StrEnum):
    MEDIATION_LIMIT = "mediation_limit"
    JUDICIAL_CONFIRMATION = "judicial_confirmation"
    ARBITRATION_REVIEW = "arbitration_review"
    PERFORMANCE = "performance"
    ARBITRATION_LIMITATION = "arbitration_limitation"
    ACCEPTANCE_TARGET = "acceptance_target"
    MEDIATION_TARGET = "mediation_target"


LEGAL = frozenset(
    {
        ClockName.MEDIATION_LIMIT,
        ClockName.JUDICIAL_CONFIRMATION,
        ClockName.ARBITRATION_REVIEW,
        ClockName.PERFORMANCE,
        ClockName.ARBITRATION_LIMITATION,
    }
)
# Periods for a party's own act: the last day moves off rest days and holidays.
_ROLLS_FORWARD = frozenset(
    {
        ClockName.JUDICIAL_CONFIRMATION,
        ClockName.ARBITRATION_REVIEW,
        ClockName.ARBITRATION_LIMITATION,
    }
)
LENGTH_DAYS = {
    ClockName.MEDIATION_LIMIT: 15,
    ClockName.JUDICIAL_CONFIRMATION: 30,
    ClockName.ARBITRATION_REVIEW: 15,
}
DEFAULT_WARNINGS: dict[ClockName, tuple[int, ...]] = {
    ClockName.MEDIATION_LIMIT: (5, 2),
    ClockName.JUDICIAL_CONFIRMATION: (7, 2),
    ClockName.ARBITRATION_REVIEW: (5, 2),
    ClockName.PERFORMANCE: (3, 1),
    ClockName.ARBITRATION_LIMITATION: (30, 7),
    ClockName.ACCEPTANCE_TARGET: (1,),
    ClockName.MEDIATION_TARGET: (2,),
}

# A clock that ran out stays on the committee's overdue list while its consequence still
# needs someone to act, i.e. while the dispute is in one of these states.
OVERDUE_WHILE: dict[ClockName, frozenset[str]] = {
    ClockName.ACCEPTANCE_TARGET: frozenset({"registered", "acceptance_review"}),
    ClockName.MEDIATION_TARGET: frozenset({"assigned", "in_mediation", "waiting_party"}),
    ClockName.MEDIATION_LIMIT: frozenset({"expired_no_agreement"}),
    ClockName.PERFORMANCE: frozenset({"non_performance"}),
    ClockName.JUDICIAL_CONFIRMATION: frozenset({"performance_monitoring"}),
    ClockName.ARBITRATION_REVIEW: frozenset({"performance_monitoring"}),
    ClockName.ARBITRATION_LIMITATION: frozenset(
        {"failed", "expired_no_agreement", "respondent_declined", "non_performance"}
    ),
}


class Deadline(BaseModel):
    """One clock's due day, the instant it runs out and its warning instants."""

    model_config = ConfigDict(frozen=True)

    clock: ClockName
    started_on: date
    due_on: date
    expires_at: datetime
    warnings: tuple[tuple[int, datetime], ...]
    calendar_source: str = "calendar-days"


def local_date(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def start_of(day: date) -> datetime:
    """00:00 local of `day`, as an aware datetime."""
    return datetime.combine(day, time(0, 0), SHANGHAI)


def plus_one_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def deadline(
    clock: ClockName,
    started_on: date,
    due_on: date,
    calendar: WorkCalendar | None = None,
    warn_days: tuple[int, ...] | None = None,
) -> Deadline:
    """Apply the holiday rule (for party periods) and place the warnings."""
    source = "calendar-days"
    if clock in _ROLLS_FORWARD and calendar is not None:
        due_on = calendar.next_working_day(due_on)
        source = calendar.source(due_on)
    warn = DEFAULT_WARNINGS.get(clock, ()) if warn_days is None else warn_days
    warnings = tuple(
        (days, datetime.combine(due_on - timedelta(days=days), WARNING_HOUR, SHANGHAI))
        for days in sorted(set(warn), reverse=True)
        if days > 0
    )
    return Deadline(
        clock=clock,
        started_on=started_on,
        due_on=due_on,
        expires_at=start_of(due_on + timedelta(days=1)),
        warnings=warnings,
        calendar_source=source,
    )


def days_clock(
    clock: ClockName,
    started_at: datetime,
    calendar: WorkCalendar | None = None,
    extra_days: int = 0,
    warn_days: tuple[int, ...] | None = None,
) -> Deadline:
    """A clock of LENGTH_DAYS[clock] (+ an extension) calendar days; start day not counted."""
    start = local_date(started_at)
    due = start + timedelta(days=LENGTH_DAYS[clock] + extra_days)
    return deadline(clock, start, due, calendar, warn_days)


def performance_clock(agreed_on: date, effective_at: datetime) -> Deadline:
    """The agreed performance date, as agreed: performance is due by the end of that day."""
    return deadline(ClockName.PERFORMANCE, local_date(effective_at), agreed_on)


def limitation_clock(known_on: date, calendar: WorkCalendar) -> Deadline:
    """One year from the day the party knew of the infringement (LDMAL 27)."""
    return deadline(ClockName.ARBITRATION_LIMITATION, known_on, plus_one_year(known_on), calendar)


def check_extension(days: int, already_extended: bool, consents: tuple[bool, bool]) -> None:
    """The 2024 notice: once, at most 15 days, with both parties' recorded consent."""
    if already_extended:
        raise AgainstTheRules("the mediation limit has already been extended once")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise Incomplete("days", f"an extension is 1 to {MAX_EXTENSION_DAYS} days")
    for field, given in zip(("complainant_consent", "respondent_consent"), consents, strict=True):
        if not given:
            raise Incomplete(field, "an extension needs both parties' recorded consent")


def nominal_due(
    clock: ClockName, started_on: date, *, extended_days: int = 0, agreed_on: date | None = None
) -> date | None:
    """A legal clock's last day before the holiday rule, from what its row keeps (the start)
    and the dispute (an extension, the agreed performance date); None for internal targets,
    which are recomputed from the state history instead."""
    if clock in LENGTH_DAYS:
        extra = extended_days if clock == ClockName.MEDIATION_LIMIT else 0
        return started_on + timedelta(days=LENGTH_DAYS[clock] + extra)
    if clock == ClockName.ARBITRATION_LIMITATION:
        return plus_one_year(started_on)
    if clock == ClockName.PERFORMANCE:
        return agreed_on
    return None
