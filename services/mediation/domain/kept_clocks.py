"""A dispute's kept clocks and the timer orders they need, as the Dispute aggregate holds them.

One `KeptClock` per (dispute, clock): its due day while open and how it ended. Moving or
stopping a clock also orders its timers (warnings, expiry) armed or cancelled; the repository
carries the orders out, in order, in the same transaction (a cancel then an arm of the same
key revives it: see service_layer/clocks.py `arm`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from services.mediation.domain.clocks import DEFAULT_WARNINGS, LEGAL, ClockName, Deadline


@dataclass
class KeptClock:
    clock: str
    started_on: date
    legal: bool = True
    due_on: date | None = None
    expires_at: datetime | None = None
    status: str = "open"  # open, paused, stopped, expired
    calendar_source: str = "calendar-days"
    updated_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.status in ("open", "paused")


@dataclass(frozen=True)
class TimerOrder:
    """Arm one timer (`kind` at `at`), or cancel the clock's timers (`kinds`)."""

    verb: Literal["arm", "cancel"]
    kinds: tuple[str, ...]
    at: datetime
    data: dict[str, Any] | None = None


def kinds_of(clock: ClockName) -> tuple[str, ...]:
    """Every timer kind a clock schedules: its expiry and each warning."""
    return (f"{clock.value}:expire", *(f"{clock.value}:warn:{d}" for d in DEFAULT_WARNINGS[clock]))


def opened(
    kept: KeptClock | None, due: Deadline, now: datetime
) -> tuple[KeptClock, list[TimerOrder]]:
    """The clock opened (or moved) to `due`, and its timers: the old ones cancelled first."""
    orders: list[TimerOrder] = []
    if kept is None:
        kept = KeptClock(clock=due.clock.value, started_on=due.started_on)
    else:
        orders.append(TimerOrder("cancel", kinds_of(due.clock), now))
    kept.legal = due.clock in LEGAL
    kept.started_on, kept.due_on, kept.expires_at = due.started_on, due.due_on, due.expires_at
    kept.status, kept.calendar_source, kept.updated_at = "open", due.calendar_source, now
    data = {"clock": due.clock.value, "due_on": due.due_on.isoformat()}
    for days, at in due.warnings:
        if at > now:
            kind = f"{due.clock.value}:warn:{days}"
            orders.append(TimerOrder("arm", (kind,), at, data | {"days_left": days}))
    orders.append(TimerOrder("arm", (f"{due.clock.value}:expire",), due.expires_at, data))
    return kept, orders
