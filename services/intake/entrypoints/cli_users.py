"""The operator's user commands (`waystation user`): people who log in, in intake's database."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from services.intake.entrypoints.cli_apikeys import intake_session
from shared.contracts.envelope import Actor
from shared.platform.audit.log import AuditLog

# The operator at the command line; user accounts hold staff names (personal data).
CLI = Actor(role="system", id="cli")


def _audit() -> AuditLog:
    from services.intake.adapters.tables import AUDIT

    return AuditLog("intake", AUDIT)


async def create(username: str, password: str, role: str, actor_id: str, name: str) -> str:
    from services.intake.service_layer.users import create_user

    written = ["user_account.username"] + (["user_account.name"] if name else [])
    async with intake_session() as session:
        _audit().on_commit(session, "create", actor=CLI, fields=written, route="waystation user")
        row = await create_user(session, username, password, role, actor_id, name)
    return str(row.id)


USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,100}$")
ACTOR_ID = re.compile(r"^[A-Za-z0-9._:/@-]{1,100}$")
COLUMNS = ("username", "role", "actor_id", "name")


@dataclass(frozen=True)
class Loaded:
    created: list[str]
    unchanged: list[str]


class BadRows(Exception):
    """Rows of a staff list that cannot be loaded: (line, field, why) each; nothing was stored."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(problems)} bad row(s)")
        self.problems = problems


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The staff list's rows with their line numbers (a CSV with the header `COLUMNS`)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or [])]
        if missing:
            raise BadRows([(1, c, "column missing from the header") for c in missing])
        return [
            (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader
        ]


async def load(rows: list[tuple[int, dict[str, str]]], password: str) -> Loaded:
    """Create every user of a staff list in one transaction, all or none. A user already there
    with the same role and actor id is left as it is (loading the same list twice changes
    nothing); one there with another role or actor id is a bad row."""
    from services.intake.domain.errors import InvalidField
    from services.intake.service_layer.users import add_user, find_user

    problems: list[tuple[int, str, str]] = []
    created: list[str] = []
    unchanged: list[str] = []
    seen: set[str] = set()
    async with intake_session() as session:
        for line, row in rows:
            username, role, actor_id = (
                row.get("username", ""),
                row.get("role", ""),
                row.get("actor_id", ""),
            )
            if not USERNAME.match(username):
                problems.append((line, "username", "letters, digits and . _ @ - only, 1-100"))
                continue
            if username in seen:
                problems.append((line, "username", "listed twice"))
                continue
            seen.add(username)
            if not ACTOR_ID.match(actor_id):
                problems.append((line, "actor_id", "letters, digits and . _ : / @ - only, 1-100"))
                continue
            there = await find_user(session, username)
            if there is not None:
                if (there.role, there.actor_id) == (role, actor_id):
                    unchanged.append(username)
                else:
                    problems.append((line, "username", "taken by a user with another role"))
                continue
            try:
                await add_user(session, username, password, role, actor_id, row.get("name", ""))
            except InvalidField as exc:
                problems.append((line, exc.field, exc.message))
                continue
            created.append(username)
        if problems:
            await session.rollback()
            raise BadRows(problems)
        if created:
            written = ["user_account.username", "user_account.name"]
            _audit().on_commit(
                session, "create", actor=CLI, fields=written, route="waystation user"
            )
            await session.commit()
    return Loaded(created, unchanged)


async def disable(username: str) -> int:
    from services.intake.service_layer.users import disable_user

    async with intake_session() as session:
        return await disable_user(session, username)


async def table() -> Table:
    from services.intake.service_layer.users import list_users

    out = Table("username", "role", "actor id", "name", "created (UTC)", "disabled")
    async with intake_session() as session:
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
