"""Users who log in: create, list, disable, and check a password."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.passwords import hash_password, password_matches
from services.intake.adapters.tables import UserAccount
from services.intake.domain.errors import InvalidField
from shared.platform.auth.roles import ROLES
from shared.platform.clock import SYSTEM_CLOCK, Clock

MIN_PASSWORD = 10


async def create_user(
    session: AsyncSession, username: str, password: str, role: str, actor_id: str, name: str = ""
) -> UserAccount:
    """A new user acting as `role` with `actor_id` (e.g. a department's id for its staff)."""
    row = await add_user(session, username, password, role, actor_id, name)
    await session.commit()
    return row


async def add_user(
    session: AsyncSession, username: str, password: str, role: str, actor_id: str, name: str = ""
) -> UserAccount:
    """Check and add a user to the session; the caller commits (one or many in a transaction)."""
    if role not in ROLES:
        raise InvalidField("role", f"one of {', '.join(sorted(ROLES))}")
    if len(password) < MIN_PASSWORD:
        raise InvalidField("password", f"at least {MIN_PASSWORD} characters")
    if not username.strip() or not actor_id.strip():
        raise InvalidField("username" if not username.strip() else "actor_id", "required")
    taken = await session.exec(select(UserAccount).where(UserAccount.username == username))
    if taken.first() is not None:
        raise InvalidField("username", "already taken")
    row = UserAccount(
        username=username[:100],
        password_hash=hash_password(password),
        role=role,
        actor_id=actor_id[:100],
        name=name[:100],
    )
    session.add(row)
    return row


async def find_user(session: AsyncSession, username: str) -> UserAccount | None:
    return (await session.exec(select(UserAccount).where(UserAccount.username == username))).first()


async def authenticate(session: AsyncSession, username: str, password: str) -> UserAccount | None:
    """The live user with this username and password, or None."""
    stmt = select(UserAccount).where(
        UserAccount.username == username[:100], col(UserAccount.disabled_at).is_(None)
    )
    row = (await session.exec(stmt)).first()
    ok = password_matches(row.password_hash if row else None, password[:200])
    return row if ok else None


async def disable_user(session: AsyncSession, username: str, clock: Clock = SYSTEM_CLOCK) -> int:
    rows = (
        await session.exec(
            select(UserAccount).where(
                UserAccount.username == username, col(UserAccount.disabled_at).is_(None)
            )
        )
    ).all()
    for row in rows:
        row.disabled_at = clock.now()
        session.add(row)
    await session.commit()
    return len(rows)


async def list_users(session: AsyncSession) -> list[UserAccount]:
    return list(
        (await session.exec(select(UserAccount).order_by(col(UserAccount.created_at)))).all()
    )
