"""Delivery rules: idempotency keys and retry timing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def idempotency_key(event_id: str, party_key: str, channel: str) -> str:
    """One delivery per (event, party, channel); the receiver sees the same key on retries."""
    return f"{event_id}:{party_key}:{channel}"


def next_attempt(
    now: datetime,
    attempts: int,
    base_seconds: float = 2.0,
    cap_seconds: float = 900.0,
    rng: random.Random | None = None,
) -> datetime:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**attempts)]."""
    ceiling = min(cap_seconds, base_seconds * 2 ** max(attempts - 1, 0))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    return now + timedelta(seconds=delay)
