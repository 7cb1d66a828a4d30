"""Who may log in to the console: the one seam the users table of intake replaces.

`DevUserStore` is a DEVELOPMENT store (users from a JSON file, argon2 password hashes) used
until intake's own users and `POST /api/v1/auth/token` land; swapping it means giving
`install()` another `Authenticator`, nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.contracts.envelope import Actor

DEV_USERS_FILE = Path(__file__).with_name("dev_users.json")


@dataclass(frozen=True)
class ConsoleUser:
    user_id: str
    actor: Actor
    name: str


class Authenticator(Protocol):
    def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        """The user when the password is right, else None."""


class DevUserStore:
    """Development users: {"users": [{username, password_hash, role, actor_id, name}]}."""

    def __init__(self, path: Path = DEV_USERS_FILE) -> None:
        rows = json.loads(path.read_text(encoding="utf-8"))["users"]
        self._rows = {r["username"]: r for r in rows}
        self._hasher = PasswordHasher()
        # Unknown users still pay for one verification, so timing does not reveal names.
        self._decoy = self._hasher.hash("decoy-password-never-matches")

    @staticmethod
    def default_file() -> Path:
        return DEV_USERS_FILE

    def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        row = self._rows.get(username)
        try:
            self._hasher.verify(row["password_hash"] if row else self._decoy, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        actor = Actor(role=row["role"], id=row["actor_id"])
        return ConsoleUser(user_id=username, actor=actor, name=row.get("name", username))
