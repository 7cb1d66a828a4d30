"""Legal clocks of a dispute: when each starts, when it is due, when to warn.

What is implemented (deliberate choices, tested: tests/unit/mediation/test_period_ends.py
holds a table of dated cases computed by hand):

- Days are reckoned in Asia/Shanghai local time; instants are stored in UTC.
- Legal clocks count **calendar days and never pause**. The start day is not counted: a clock
  of N days started on day D has D + N as its last day by counting.
- **One rule for the end of every period** (Civil Code art. 203: 期间的最后一日是法定休假日的，
  以法定休假日结束的次日为期间的最后一日; the same in the Civil Procedure Law and the
  arbitration procedure rules): when the last day by
  counting is a rest day or a public holiday of the PRC calendar in force (with 调休: a
  weekend worked is a working day, a weekday off is not), the period ends on the next
  working day. It holds for every clock alike: the mediation limit and its extension, the
  judicial-confirmation and arbitration-review windows, the agreed performance date and the
  one-year arbitration limitation. (The acceptance and mediation targets count working days,
  so they always end on one.) The clock then runs out when its moved last day ends (00:00
  local of the next day); that instant is when `deadline.expired` and its action fire, and
  the warnings count back from the moved day. A `Deadline` keeps the day by counting
  (`nominal_due_on`) and why it moved (`moved_because`: a festival code, `public_holiday`
  or `rest_day`, worded by the glossary's `rest_reason`), so the timeline, the committee's
  board and the notices say "顺延至…（国庆节假期）".
- A year whose official arrangement is not loaded is counted Monday to Friday, and the clock
  says so: `calendar_missing` is true and `calendar_source` names the year
  (`weekend-fallback:2027`). Loading the year recomputes every open legal clock
  (service_layer/clocks.py `recompute_legal_clocks`).
- Mediation limit: 15 days from receipt of the application (LDMAL 14); for platform-worker
  disputes 15 days from acceptance, extendable once by at most 15 days with both parties'
  recorded consent (2024 notice); the extension counts from the limit by counting, and the
  rule above applies to the extended end. Enterprise-committee rules (Order 17, M) are not
  encoded.
- Arbitration limitation: one year from the day the infringement was known (the dispute's
  `dispute_arose_on`); the same date next year (29 Feb -> 28 Feb). Interruption by the
  mediation application is an interpretation (M) and is NOT applied, so the date shown is
  the earliest possible one: the conservative date to warn about.
- Warnings fire at 09:00 local on the day `days_left` calendar days before the (moved) due
  day (15-day clock: day 10 and day 13); a warning whose time has already passed is not sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from services.mediation.domain.calendar import FALLBACK, WorkCalendar
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


class PeriodEnd(BaseModel):
    """Where a period ends once its last day by counting is moved off rest days (art. 203)."""

    model_config = ConfigDict(frozen=True)

    nominal_due_on: date
    due_on: date
    moved_because: str | None = None
    calendar_missing: bool = False
    calendar_source: str = "calendar-days"


class Deadline(BaseModel):
    """One clock's due day, the instant it runs out and its warning instants."""

    model_config = ConfigDict(frozen=True)

    clock: ClockName
    started_on: date
    due_on: date
    expires_at: datetime
    warnings: tuple[tuple[int, datetime], ...]
    calendar_source: str = "calendar-days"
    nominal_due_on: date | None = None
    moved_because: str | None = None
    calendar_missing: bool = False


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


def rest_reason(calendar: WorkCalendar, last_day: date, due_on: date) -> str | None:
    """Why a period's end moved from `last_day` to `due_on`: the festival whose days off it
    crossed, `public_holiday` (a day off the source does not name) or `rest_day` (a weekend);
    None when it did not move."""
    days = [last_day + timedelta(days=n) for n in range((due_on - last_day).days)]
    if not days:
        return None
    for day in days:
        name = calendar.holiday_name(day)
        if name:
            return name
    if any(calendar.is_public_holiday(day) for day in days):
        return "public_holiday"
    return "rest_day"


def missing_years(calendar: WorkCalendar, first: date, last: date) -> list[int]:
    """The years from `first` to `last` whose official arrangement is not loaded."""
    return [y for y in range(first.year, last.year + 1) if not calendar.covers(y)]


def period_end(last_day: date, calendar: WorkCalendar) -> PeriodEnd:
    """The period's end under art. 203: `last_day`, or the next working day after it when it
    is a rest day or a public holiday; a year not loaded is counted Monday to Friday and said."""
    due_on = calendar.next_working_day(last_day)
    missing = missing_years(calendar, last_day, due_on)
    return PeriodEnd(
        nominal_due_on=last_day,
        due_on=due_on,
        moved_because=rest_reason(calendar, last_day, due_on),
        calendar_missing=bool(missing),
        calendar_source=f"{FALLBACK}:{missing[0]}" if missing else calendar.source(due_on),
    )


def deadline(
    clock: ClockName,
    started_on: date,
    due_on: date,
    calendar: WorkCalendar,
    warn_days: tuple[int, ...] | None = None,
) -> Deadline:
    """Move the last day `due_on` off rest days and holidays (every clock: art. 203) and place
    the warnings, counted back from the moved end."""
    end = period_end(due_on, calendar)
    due_on = end.due_on
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
        calendar_source=end.calendar_source,
        nominal_due_on=end.nominal_due_on,
        moved_because=end.moved_because,
        calendar_missing=end.calendar_missing,
    )


def days_clock(
    clock: ClockName,
    started_at: datetime,
    calendar: WorkCalendar,
    extra_days: int = 0,
    warn_days: tuple[int, ...] | None = None,
) -> Deadline:
    """A clock of LENGTH_DAYS[clock] (+ an extension) calendar days; start day not counted;
    its end moved off rest days and holidays."""
    start = local_date(started_at)
    due = start + timedelta(days=LENGTH_DAYS[clock] + extra_days)
    return deadline(clock, start, due, calendar, warn_days)


def performance_clock(agreed_on: date, effective_at: datetime, calendar: WorkCalendar) -> Deadline:
    """The agreed performance date: due by the end of that day, or of the next working day
    when the agreed day is a rest day or a holiday."""
    return deadline(ClockName.PERFORMANCE, local_date(effective_at), agreed_on, calendar)


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


def stored_end(
    clock: ClockName,
    started_on: date,
    due_on: date | None,
    calendar: WorkCalendar,
    *,
    extended_days: int = 0,
    agreed_on: date | None = None,
) -> PeriodEnd | None:
    """What a kept clock's due day means, read with the calendar in force: its last day by
    counting, why the end moved from it, whether a year it relies on is not loaded. A target
    (working days from its start) relies on every year since its start."""
    if due_on is None:
        return None
    nominal = nominal_due(clock, started_on, extended_days=extended_days, agreed_on=agreed_on)
    if nominal is None or nominal > due_on:
        nominal = due_on
    missing = missing_years(calendar, nominal if clock in LEGAL else started_on, due_on)
    return PeriodEnd(
        nominal_due_on=nominal,
        due_on=due_on,
        moved_because=rest_reason(calendar, nominal, due_on),
        calendar_missing=bool(missing),
        calendar_source=f"{FALLBACK}:{missing[0]}" if missing else calendar.source(due_on),
    )
