"""The `waystation user` commands: people who log in, in intake's database."""

from __future__ import annotations

from rich.table import Table

from waystation.apikeys import _session


async def create(username: str, password: str, role: str, actor_id: str, name: str) -> str:
    from services.intake.service_layer.users import create_user

    async with _session() as session:
        row = await create_user(session, username, password, role, actor_id, name)
    return str(row.id)


async def disable(username: str) -> int:
    from services.intake.service_layer.users import disable_user

    async with _session() as session:
        return await disable_user(session, username)


async def table() -> Table:
    from services.intake.service_layer.users import list_users

    out = Table("username", "role", "actor id", "name", "created (UTC)", "disabled")
    async with _session() as session:
        for user in await list_users(session):
            out.add_row(
                user.username,
                user.role,
                user.actor_id,
                user.name,
                user.created_at.isoformat(timespec="seconds"),
                user.disabled_at.isoformat(timespec="seconds") if user.disabled_at else "",
            )
    return out
