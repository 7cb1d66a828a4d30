"""Mediation's operator commands, mounted by the `waystation` command line: the committee's
rollups (`rollups check`, `rollups rebuild`) and the benchmark's bulk load of disputes.

Nothing heavy is imported here: each command loads the service layer when it runs.
"""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

console = Console()
rollups_app = typer.Typer(
    help="Mediation's rollups behind the committee's queues and statistics.",
    no_args_is_help=True,
)


def _database_url() -> str:
    from services.mediation.config import MediationSettings

    return str(MediationSettings().database_url)


@rollups_app.command("check")
def rollups_check() -> None:
    """Compare every rollup figure with a recount from the disputes; exit 1 on a difference."""
    from services.mediation.entrypoints.cli_rollups import check_rollups

    found = asyncio.run(check_rollups(_database_url()))
    for difference in found[:50]:
        console.print(difference)
    console.print(f"mediation rollups: {len(found)} difference(s) from a recount")
    if found:
        raise typer.Exit(1)


@rollups_app.command("rebuild")
def rollups_rebuild() -> None:
    """Replace the rollups by a recount (after a bulk load that bypassed the service)."""
    cells = asyncio.run(rebuild_rollups(_database_url()))
    console.print(f"mediation rollups rebuilt: {cells} figure(s)")


async def rebuild_rollups(database_url: str) -> int:
    """Recount the rollups of the database at `database_url`; the number of figures."""
    from services.mediation.entrypoints.cli_rollups import rebuild_rollups as rebuild

    return await rebuild(database_url)


async def load_disputes(database_url: str, n: int) -> float:
    """Bulk-load `n` synthetic disputes (bypassing the service: rebuild the rollups after it);
    returns seconds."""
    from services.mediation.entrypoints.bench_load import load_disputes as load

    return await load(database_url, n)
