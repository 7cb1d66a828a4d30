"""The Dispute aggregate's clock keeping: its kept clocks opened, moved, paused and stopped
by clocks.py's legal rules and targets.py's paused working days, each move ordering its timers.

A mixin rather than a second aggregate: the clocks have no life apart from their dispute (one
lock, one save), and this keeps the lifecycle steps' modules to the steps. It also holds the
history entry and the raised event the aggregate is made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from services.mediation.domain.calendar import FALLBACK, WorkCalendar
from services.mediation.domain.clocks import (
    ClockName,
    Deadline,
    deadline,
    local_date,
    missing_years,
    stored_end,
)
from services.mediation.domain.kept_clocks import KeptClock, TimerOrder, kinds_of, opened
from services.mediation.domain.lifecycle import PAUSED
from services.mediation.domain.targets import Target, pauses, target_due
from shared.contracts.envelope import Actor

StateHistory = list[tuple[datetime, str]]


@dataclass(frozen=True)
class HistoryEntry:
    """One step of the dispute's history (`position` orders steps sharing an instant)."""

    position: int
    action: str
    from_state: str
    to_state: str
    actor: Actor
    at: datetime
    note: str = ""


def aware(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class ClockKeeping:
    """Mixed into `Dispute`, whose dataclass fields these are."""

    state: str
    mediation_extended_days: int
    performance_deadline: date | None
    clocks: dict[str, KeptClock]
    history: list[HistoryEntry]
    touched: set[str]
    timers: list[TimerOrder]

    def open_clock(self, due: Deadline, at: datetime) -> None:
        """Open (or move) a clock; its warnings and expiry are ordered."""
        kept, orders = opened(self.clocks.get(due.clock.value), due, at)
        self.clocks[due.clock.value] = kept
        self.touched.add(due.clock.value)
        self.timers.extend(orders)

    def stop_clocks(
        self, names: tuple[ClockName, ...], at: datetime, status: str = "stopped"
    ) -> None:
        """Stop running clocks (what they waited for happened) and cancel their timers."""
        for name in names:
            kept = self.clocks.get(name.value)
            if kept is None or not kept.running:
                continue
            kept.status, kept.updated_at = status, at
            self.touched.add(name.value)
            self.timers.append(TimerOrder("cancel", kinds_of(name), at))

    def clock_due_on(self, name: ClockName) -> date | None:
        kept = self.clocks.get(name.value)
        return kept.due_on if kept is not None and kept.status != "stopped" else None

    def state_history(self, saved: StateHistory) -> StateHistory:
        """(time, state entered) of every step: the saved ones and those taken since loading."""
        return [(aware(at), s) for at, s in saved] + [(e.at, e.to_state) for e in self.history]

    def refresh_target(
        self,
        target: Target,
        started_at: datetime,
        saved: StateHistory,
        calendar: WorkCalendar,
        at: datetime,
    ) -> None:
        """Recompute a target's due day from the state history: paused while waiting on a party."""
        name = ClockName(target.name)
        steps = [(t, s) for t, s in self.state_history(saved) if t >= started_at]
        steps.append((at, self.state))
        due_on = target_due(target, started_at, pauses(steps, PAUSED), calendar)
        if due_on is None:
            kept = self.clocks.get(name.value)
            if kept is not None and kept.status == "open":
                kept.status, kept.due_on, kept.expires_at, kept.updated_at = (
                    "paused",
                    None,
                    None,
                    at,
                )
                self.touched.add(name.value)
                self.timers.append(TimerOrder("cancel", kinds_of(name), at))
            return
        due = deadline(name, local_date(started_at), due_on, calendar)
        missing = missing_years(calendar, local_date(started_at), due.due_on)
        if missing:  # working days were counted through a year not loaded
            source = f"{FALLBACK}:{missing[0]}"
            due = due.model_copy(update={"calendar_source": source, "calendar_missing": True})
        self.open_clock(due, at)

    def refresh_mediation_target(
        self, target: Target, saved: StateHistory, calendar: WorkCalendar, at: datetime
    ) -> None:
        """The mediation target runs from the start of mediation, paused while waiting."""
        started = next((t for t, s in self.state_history(saved) if s == "in_mediation"), None)
        if started is not None:
            self.refresh_target(target, started, saved, calendar, at)

    def moved(self, kept: KeptClock, calendar: WorkCalendar) -> dict[str, Any]:
        """Where a clock's end was moved off a rest day or holiday, and why (art. 203)."""
        end = stored_end(
            ClockName(kept.clock),
            kept.started_on,
            kept.due_on,
            calendar,
            extended_days=self.mediation_extended_days,
            agreed_on=self.performance_deadline,
        )
        if end is None:
            return {}
        return {
            "nominal_due_on": end.nominal_due_on if end.moved_because else None,
            "moved_because": end.moved_because,
            "calendar_missing": end.calendar_missing,
        }
