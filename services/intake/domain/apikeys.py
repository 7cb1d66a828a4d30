"""Open311 API keys: random, shown once, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "ws_"


def new_api_key() -> str:
    """A fresh key with 256 bits of randomness (a fast hash is enough at that entropy)."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
