"""Delivery rules: idempotency keys, retry timing, which failures are for good, and the
Delivery aggregate that applies them to one message."""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.contracts.events.notify import NotificationDelivered, NotificationFailed
from shared.contracts.raised import Raised


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


@dataclass(eq=False)
class Delivery:
    """One message to one party on one channel, from queued to sent or given up.

    It owns its attempts, its next due time and the event each final outcome raises; the
    worker leases it, sends it and hands the outcome here (`sent` / `not_sent`)."""

    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    case_id: uuid.UUID
    party_role: str
    channel: str
    subject: str
    body: str
    status: str = "queued"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None
    events: list[Raised] = field(default_factory=list)

    @property
    def queued(self) -> bool:
        return self.status == "queued"

    def sent(self, now: datetime) -> None:
        self._attempted()
        self.status, self.sent_at, self.last_error = "sent", now, ""
        self.events.append(
            Raised("notification.delivered", NotificationDelivered(**self._fields()))
        )
        self._forget_secret()

    def not_sent(
        self,
        error: str,
        *,
        permanent: bool,
        now: datetime,
        max_attempts: int,
        backoff_base: float = 2.0,
    ) -> bool:
        """A failed send: given up (True) when permanent or out of attempts, else due again."""
        self._attempted()
        self.last_error = error[:500]
        if not permanent and self.attempts < max_attempts:
            self.next_attempt_at = next_attempt(now, self.attempts, backoff_base)
            return False
        self.status = "failed"
        self.events.append(
            Raised("notification.failed", NotificationFailed(**self._fields(), error=error[:500]))
        )
        self._forget_secret()
        return True

    def _attempted(self) -> None:
        if not self.queued:
            raise ValueError(f"delivery {self.id} is {self.status}, not queued")
        self.attempts += 1
        self.lease_until = None

    def _forget_secret(self) -> None:
        # The code has left (or never will): the log keeps the message, not the secret.
        if self.event_type in SECRET_EVENTS:
            self.subject, self.body = masked_secret(self.subject), masked_secret(self.body)

    def _fields(self) -> dict[str, Any]:
        return {
            "delivery_id": str(self.id),
            "source_event_id": str(self.event_id),
            "source_event_type": self.event_type,
            "party_role": self.party_role,
            "channel": self.channel,
            "attempts": self.attempts,
        }
