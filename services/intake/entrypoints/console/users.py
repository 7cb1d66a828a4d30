"""Who may log in to the console: intake's own users (argon2 hashes in `user_account`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.intake.service_layer import users
from shared.contracts.envelope import Actor
from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class ConsoleUser:
    user_id: str
    actor: Actor
    name: str


class Authenticator(Protocol):
    async def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        """The user when the password is right, else None."""


class IntakeUsers:
    """The same users and password check as `POST /api/v1/auth/token`."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime

    async def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        async with self._runtime.sessions() as session:
            row = await users.authenticate(session, username, password)
        if row is None:
            return None
        actor = Actor.model_validate({"role": row.role, "id": row.actor_id})
        return ConsoleUser(user_id=str(row.id), actor=actor, name=row.name or row.username)
