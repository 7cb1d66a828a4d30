"""Intake's operator commands, mounted by the `waystation` command line: people who log in
(`user`), Open311 API keys (`apikey`), the retention run's part on cases and parties, and the
demo's sign-in accounts.

Nothing heavy is imported here: each command loads the service layer when it runs, so that
`waystation --help` stays quick.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from services.intake.service_layer.retention import Purged

console = Console()
apikey_app = typer.Typer(help="Open311 API keys (stored hashed in intake).", no_args_is_help=True)
user_app = typer.Typer(help="People who log in (passwords kept as argon2 hashes in intake).")


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="who the key is for, e.g. the rider app")],
    department_id: Annotated[
        str | None, typer.Option(help="bind to a department (for servicerequestupdates)")
    ] = None,
    service: Annotated[
        str | None,
        typer.Option(help="a service's key: `notify` (NOTIFY_INTAKE_CLIENT_SECRET, rider SMS)"),
    ] = None,
) -> None:
    """Create an Open311 API key and print it once (only its hash is kept)."""
    from services.intake.entrypoints.cli_apikeys import create
    from shared.platform.auth.dependency import SERVICE_CLIENTS

    if service is not None and service not in SERVICE_CLIENTS:
        raise typer.BadParameter(f"--service: one of {', '.join(sorted(SERVICE_CLIENTS))}")
    print(asyncio.run(create(name, department_id, service)))


@apikey_app.command("list")
def apikey_list() -> None:
    """List API keys (names and departments, never the keys)."""
    from services.intake.entrypoints.cli_apikeys import table

    console.print(asyncio.run(table()))


@apikey_app.command("revoke")
def apikey_revoke(name: Annotated[str, typer.Option()]) -> None:
    """Revoke every live key with this name."""
    from services.intake.entrypoints.cli_apikeys import revoke

    console.print(f"revoked {asyncio.run(revoke(name))} key(s)")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="intake_officer, mediator, department, admin, ...")],
    actor_id: Annotated[
        str, typer.Option(help="who they act as: a department id, mediator id, org-<code>...")
    ],
    name: Annotated[str, typer.Option()] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user who logs in at intake's POST /api/v1/auth/token."""
    from services.intake.domain.errors import InvalidField
    from services.intake.entrypoints.cli_users import create

    try:
        console.print(f"created {asyncio.run(create(username, password, role, actor_id, name))}")
    except InvalidField as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


@user_app.command("load")
def user_load(
    file: Annotated[
        Path, typer.Argument(help="CSV with the header username,role,actor_id,name", exists=True)
    ],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="the first password of every new user",
        ),
    ] = "",
) -> None:
    """Create a district's staff from a list, all or none: every bad row is named by line and
    field; users already there with the same role and actor id are left as they are."""
    from services.intake.entrypoints.cli_users import BadRows, load, read_rows

    try:
        done = asyncio.run(load(read_rows(file), password))
    except BadRows as exc:
        for line, field, why in exc.problems:
            console.print(f"[red]line {line}, {field}: {why}[/red]")
        console.print("nothing was loaded")
        raise typer.Exit(2) from exc
    console.print(f"created {len(done.created)}, already there {len(done.unchanged)}")


@user_app.command("list")
def user_list() -> None:
    """List users (never their passwords)."""
    from services.intake.entrypoints.cli_users import table

    console.print(asyncio.run(table()))


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Option()]) -> None:
    """Disable a user: no new tokens (tokens already issued expire within their lifetime)."""
    from services.intake.entrypoints.cli_users import disable

    console.print(f"disabled {asyncio.run(disable(username))} user(s)")


def retention_run() -> Purged:
    """Intake's retention run, now: personal data of cases finished longer than the retention
    period ago is cleared (the cases and parties it cleared)."""
    from services.intake.config import IntakeSettings
    from services.intake.entrypoints.cli_retention import purge_once

    return asyncio.run(purge_once(IntakeSettings()))


async def ensure_demo_user(username: str, password: str, role: str, actor_id: str) -> None:
    """Create the demo's account for `role`/`actor_id` unless it is there already (a concurrent
    demo run may have created it meanwhile); development set-ups only."""
    import contextlib

    from services.intake.domain.errors import InvalidField
    from services.intake.entrypoints.cli_users import create

    with contextlib.suppress(InvalidField):
        await create(username, password, role, actor_id, f"demo {role}")
