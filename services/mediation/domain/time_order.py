"""Time order: nothing is recorded as having happened before it could have.

- A session is held at or after its start, never before (its record is of a meeting that
  took place).
- Performance is recorded only once the agreement has taken effect (LDMAL 14: it binds from
  the signatures and the seal).
- Non-performance is recorded only once the performance period has run out: performance is
  due by the end of its last day (Asia/Shanghai), so "not performed" can be said from the
  next day on; the referral to arbitration for non-performance follows from it.

Each rule raises TooEarly naming the field whose time has not come.
"""

from __future__ import annotations

from datetime import date, datetime

from services.mediation.domain.clocks import local_date
from services.mediation.domain.errors import TooEarly


def check_held(starts_at: datetime, now: datetime) -> None:
    if now < starts_at:
        raise TooEarly("starts_at", "a session cannot be recorded as held before it starts")


def check_performance_recordable(effective_at: datetime | None, now: datetime) -> None:
    if effective_at is None or now < effective_at:
        raise TooEarly(
            "agreement_effective_at",
            "performance cannot be recorded before the agreement takes effect",
        )


def check_non_performance(last_day: date | None, now: datetime) -> None:
    """`last_day`: the day performance is due by (None: no period was agreed, nothing to wait)."""
    if last_day is not None and local_date(now) <= last_day:
        raise TooEarly(
            "performance_deadline",
            "non-performance cannot be recorded before the performance deadline has passed"
            f" (due by the end of {last_day.isoformat()})",
        )
