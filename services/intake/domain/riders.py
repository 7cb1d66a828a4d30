"""One rider, one party: the keys a rider's reports are matched by (never the raw number).

A phone is reduced to its mainland digits (`+86 139-1234-5678` → `13912345678`) and an e-mail
to lower case; each then gets a keyed hash (HMAC, intake's hash key) with its own prefix, so a
phone hash and an ID-number hash never collide and neither can be reversed without the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NOT_DIGIT = re.compile(r"\D")
# The roles a runner has on a case: each of their reports resolves to one party.
RUNNER_ROLES = ("reporter", "complainant", "follower")


def normalise_phone(phone: str) -> str:
    """Digits only, without the mainland country code."""
    digits = _NOT_DIGIT.sub("", phone)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def phone_key(phone: str, keyed_hash: Callable[[str], str]) -> str:
    return keyed_hash(f"phone:{normalise_phone(phone)}")


def email_key(email: str, keyed_hash: Callable[[str], str]) -> str:
    return keyed_hash(f"email:{email.strip().lower()}")
