"""What every dispatch use case needs besides the unit of work: the clock and the loop's window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared.clock import Clock


@dataclass(frozen=True)
class Context:
    clock: Clock
    # How long a reporter has to answer "is it fixed?" before it closes as resolved-unconfirmed.
    confirmation_window: timedelta = timedelta(days=7)
