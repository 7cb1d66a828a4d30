"""Password hashing with argon2id (the library's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY = _hasher.hash("waystation-no-such-user")


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def password_matches(stored: str | None, plain: str) -> bool:
    """True when `plain` is the password behind `stored` (None: an unknown user)."""
    try:
        return _hasher.verify(stored or _DUMMY, plain) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
