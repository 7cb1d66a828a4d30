"""Delivery rules: idempotency keys, retry timing and which failures are for good."""

from __future__ import annotations

import random
import re
import uuid
from datetime import datetime, timedelta


def idempotency_key(event_id: str, party_key: str, channel: str) -> str:
    """One delivery per (event, party, channel); the receiver sees the same key on retries."""
    return f"{event_id}:{party_key}:{channel}"


# Fixed for good: the Message-ID of a key must never change between releases.
_MESSAGE_IDS = uuid.UUID("6f1d3c2a-5b7e-4e0f-9a8d-2c4b6e8f0a1d")


def message_id(key: str, domain: str) -> str:
    """The e-mail Message-ID of a delivery: the same for every copy sent under its key, so
    a repeat after a crash is one message to the recipient's mail client."""
    return f"<{uuid.uuid5(_MESSAGE_IDS, key).hex}@{domain}>"


def next_attempt(
    now: datetime,
    attempts: int,
    base_seconds: float = 2.0,
    cap_seconds: float = 900.0,
    rng: random.Random | None = None,
) -> datetime:
    """Exponential backoff with jitter: uniform in [c/2, c], c = min(cap, base * 2**(n-1))."""
    ceiling = min(cap_seconds, base_seconds * 2 ** max(attempts - 1, 0))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    return now + timedelta(seconds=delay)


# 408 (timeout) and 429 (rate limited) say "later", not "never".
_TRANSIENT_4XX = frozenset({408, 425, 429})


def http_status_is_permanent(status: int) -> bool:
    """A 4xx answer (except timeout/too-early/rate-limit) will not change by retrying."""
    return 400 <= status < 500 and status not in _TRANSIENT_4XX


def smtp_code_is_permanent(code: int) -> bool:
    """SMTP 5yz replies (e.g. 550 mailbox unavailable, 553 bad address) are permanent (RFC 5321)."""
    return 500 <= code < 600


# Events whose message carries a secret (a one-time sign-in code): once the message has left
# (sent, or given up), the delivery log keeps only a masked form of it.
SECRET_EVENTS = frozenset({"rider.code_requested"})
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def masked_secret(text: str) -> str:
    """A message with its one-time code(s) blanked: `验证码 123456` → `验证码 ******`."""
    return _CODE.sub("******", text)
