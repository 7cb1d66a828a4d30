"""Time as a dependency: services ask a clock, tests move it (never sleep to wait for a date)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


def utc_now() -> datetime:
    """The wall clock, timezone-aware: the one place that reads it (a column's default, tooling).

    Code that serves a request or applies an event asks its service's `Clock` instead."""
    return datetime.now(UTC)


class SystemClock:
    def now(self) -> datetime:
        return utc_now()


SYSTEM_CLOCK: Clock = SystemClock()


class FrozenClock:
    """A clock that stands still until told to move."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock needs a timezone-aware time")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> datetime:
        self._at += delta
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at
