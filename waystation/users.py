"""The `waystation user` commands: people who log in, in intake's database."""

from __future__ import annotations

from rich.table import Table

from shared.audit.log import AuditLog
from shared.contracts.envelope import Actor
from waystation.apikeys import _session

# The operator at the command line; user accounts hold staff names (personal data).
CLI = Actor(role="system", id="cli")


def _audit() -> AuditLog:
    from services.intake.adapters.tables import AUDIT

    return AuditLog("intake", AUDIT)


async def create(username: str, password: str, role: str, actor_id: str, name: str) -> str:
    from services.intake.service_layer.users import create_user

    written = ["user_account.username"] + (["user_account.name"] if name else [])
    async with _session() as session:
        _audit().on_commit(session, "create", actor=CLI, fields=written, route="waystation user")
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
        users = await list_users(session)
        shown = ["user_account.name", "user_account.username"]
        await _audit().add(session, "list", actor=CLI, fields=shown, route="waystation user")
        await session.commit()
        for user in users:
            out.add_row(
                user.username,
                user.role,
                user.actor_id,
                user.name,
                user.created_at.isoformat(timespec="seconds"),
                user.disabled_at.isoformat(timespec="seconds") if user.disabled_at else "",
            )
    return out
