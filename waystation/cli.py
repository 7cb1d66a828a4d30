"""The `waystation` command line."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from services.intake.entrypoints import cli as intake_cli
from services.mediation.entrypoints import cli as mediation_cli
from services.notify.entrypoints import cli as notify_cli
from shared.platform.clock import utc_now
from waystation.services import PROCESSES, SERVICES

app = typer.Typer(
    help="Waystation 城市驿站: disputes to mediation, hazards to a closed loop.",
    no_args_is_help=True,
)
dlq_app = typer.Typer(help="Dead letters: list, inspect, replay.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
# Each service's own operator commands, from its `entrypoints/cli.py`.
app.add_typer(intake_cli.apikey_app, name="apikey")
app.add_typer(intake_cli.user_app, name="user")
console = Console()
ServiceName = Annotated[str, typer.Argument(help="intake | mediation | dispatch | notify")]
ProcessName = Annotated[
    str, typer.Argument(help="intake | mediation | dispatch | notify | console")
]


def _check(name: str, known: Mapping[str, object] | None = None) -> str:
    names = SERVICES if known is None else known
    if name not in names:
        raise typer.BadParameter(f"unknown service {name!r}; one of {', '.join(names)}")
    return name


@app.command()
def run(
    only: Annotated[list[str] | None, typer.Option(help="run only these services")] = None,
    sinks: Annotated[bool, typer.Option(help="start the local mail/webhook sinks")] = True,
) -> None:
    """Run the whole system (Redis, four services, the console, demo sinks); Ctrl-C stops it."""
    from waystation.launcher import run_all

    chosen = [_check(s, PROCESSES) for s in only] if only else list(PROCESSES)
    run_all(chosen, with_sinks=sinks)


@app.command()
def serve(name: ProcessName) -> None:
    """Run one service (or the console) in the foreground."""
    from waystation.serve import serve as serve_one

    serve_one(_check(name, PROCESSES))


@app.command()
def sinks(smtp_port: int = 8025, webhook_port: int = 8090, folder: Path | None = None) -> None:
    """Run the local SMTP and webhook sinks that `run` uses for demo notifications."""
    from shared.platform.settings import data_dir
    from waystation.sinks import run_sinks

    run_sinks(folder or data_dir() / "sinks", smtp_port, webhook_port)


@app.command()
def migrate(name: Annotated[str | None, typer.Argument()] = None) -> None:
    """Apply the Alembic migrations of one service or of all."""
    from shared.platform.db import upgrade

    for service in [_check(name)] if name else list(SERVICES):
        entry = SERVICES[service]
        settings = entry.settings()
        upgrade(entry.migrations_dir(), settings.database_url)
        console.print(f"{service}: migrated ({settings.database_url.split('://')[0]})")


@app.command()
def demo(
    intake_url: str = "http://127.0.0.1:8001",
    mediation_url: str = "http://127.0.0.1:8002",
    dispatch_url: str = "http://127.0.0.1:8003",
    notify_url: str = "http://127.0.0.1:8004",
    flow: Annotated[
        bool, typer.Option(help="also act as departments, mediators, reporters")
    ] = True,
    days: Annotated[
        int,
        typer.Option(
            min=0,
            max=400,
            help="then move the training clock forward this many days, one at a time, "
            "showing J5 run out (16: to its expiry); development/training only",
        ),
    ] = 0,
) -> None:
    """File realistic sample tickets (in Chinese) and let them flow through the system."""
    from waystation.demo import run_demo

    asyncio.run(
        run_demo(intake_url, mediation_url, dispatch_url, flow=flow, days=days, notify=notify_url)
    )


clock_app = typer.Typer(
    help="The training clock (development/training only): show it, move it forward.",
    no_args_is_help=True,
)
app.add_typer(clock_app, name="clock")


def _clock_urls(intake: str, mediation: str, dispatch: str, notify: str) -> dict[str, str]:
    return {"intake": intake, "mediation": mediation, "dispatch": dispatch, "notify": notify}


def _clock_table(states: Mapping[str, Mapping[str, object]]) -> Table:
    table = Table("service", "现在 now", "拨快 offset (days)")
    for name, state in states.items():
        table.add_row(name, str(state["now_written"]), str(state["offset_days"]))
    return table


ClockWork = Callable[[Any, dict[str, str]], Awaitable[Mapping[str, Mapping[str, object]]]]


def _clock_run(intake: str, username: str | None, work: ClockWork) -> None:
    import httpx

    from waystation.cli_auth import NoCredential, auth_headers
    from waystation.training import ClockUnavailable

    try:
        headers = auth_headers(intake, username)
    except NoCredential as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc

    async def go() -> None:
        async with httpx.AsyncClient(timeout=15) as client:
            console.print(_clock_table(await work(client, headers)))

    try:
        asyncio.run(go())
    except ClockUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc


@clock_app.command("show")
def clock_show(
    intake_url: str = "http://127.0.0.1:8001",
    mediation_url: str = "http://127.0.0.1:8002",
    dispatch_url: str = "http://127.0.0.1:8003",
    notify_url: str = "http://127.0.0.1:8004",
    username: Annotated[str | None, typer.Option(help="an admin account")] = None,
) -> None:
    """Each service's clock and how far it was moved forward."""
    from waystation.training import clock_states

    urls = _clock_urls(intake_url, mediation_url, dispatch_url, notify_url)
    _clock_run(intake_url, username, lambda client, headers: clock_states(client, urls, headers))


@clock_app.command("advance")
def clock_advance(
    days: Annotated[int, typer.Option(min=0, max=400)] = 0,
    hours: Annotated[int, typer.Option(min=0, max=23)] = 0,
    minutes: Annotated[int, typer.Option(min=0, max=59)] = 0,
    intake_url: str = "http://127.0.0.1:8001",
    mediation_url: str = "http://127.0.0.1:8002",
    dispatch_url: str = "http://127.0.0.1:8003",
    notify_url: str = "http://127.0.0.1:8004",
    username: Annotated[str | None, typer.Option(help="an admin account")] = None,
) -> None:
    """Move every service's clock forward; due timers fire, each exactly once."""
    from waystation.training import advance_all

    if not (days or hours or minutes):
        raise typer.BadParameter("至少拨快一分钟 move the clock by a minute or more")
    urls = _clock_urls(intake_url, mediation_url, dispatch_url, notify_url)
    step = {"days": days, "hours": hours, "minutes": minutes}
    _clock_run(
        intake_url, username, lambda client, headers: advance_all(client, urls, headers, step)
    )


@app.command()
def timeline(
    case_id: str,
    intake_url: str = "http://127.0.0.1:8001",
    username: Annotated[
        str | None,
        typer.Option(help="an operator account (password: WAYSTATION_PASSWORD or a prompt)"),
    ] = None,
) -> None:
    """Show a case's status and timeline (signed in as an operator, or as this host's admin)."""
    import httpx

    from waystation.cli_auth import NoCredential, auth_headers

    try:
        headers = auth_headers(intake_url, username)
    except NoCredential as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    answer = httpx.get(f"{intake_url}/api/v1/cases/{case_id}", headers=headers, timeout=10)
    if answer.status_code in (401, 403, 404, 422):
        words = {
            401: "未通过身份验证",
            403: "无权查看该案件",
            404: "没有该案件",
            422: "案件编号格式不对",
        }
        console.print(f"[red]{words[answer.status_code]}[/red] ({answer.status_code})")
        raise typer.Exit(1)
    data = answer.raise_for_status().json()
    console.print(f"[bold]{data['title']}[/bold]  {data['tracking_code']}  状态 {data['status']}")
    table = Table("time (UTC)", "service", "event", "说明")
    for item in data["timeline"]:
        table.add_row(
            item["occurred_at"][:19], item["producer"], item["event_type"], item["text_zh"]
        )
    console.print(table)


def _redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


Partitions = Annotated[
    int | None,
    typer.Option(min=1, max=256, help="stream partitions (default: STREAM_PARTITIONS, or 1)"),
]


@dlq_app.command("list")
def dlq_list(
    service: Annotated[str | None, typer.Option(help="producing service")] = None,
    partitions: Partitions = None,
) -> None:
    """List dead letters of every partition of every stream (or one producer's)."""
    from waystation.operations import list_dead_letters_table

    console.print(asyncio.run(list_dead_letters_table(_redis_url(), service, partitions)))


@dlq_app.command("inspect")
def dlq_inspect(stream: str, dlq_id: str) -> None:
    """Show one dead letter: where it failed, why, and its body."""
    from waystation.operations import inspect_dead_letter

    console.print(asyncio.run(inspect_dead_letter(_redis_url(), stream, dlq_id)))


@dlq_app.command("replay")
def dlq_replay(stream: str, dlq_id: str, partitions: Partitions = None) -> None:
    """Put one dead letter back on its case's partition (consumers skip what they applied)."""
    from waystation.operations import replay_dead_letter

    console.print(asyncio.run(replay_dead_letter(_redis_url(), stream, dlq_id, partitions)))


@app.command()
def alerts(count: int = 50) -> None:
    """The newest operator alerts (dead letters, stopped subscribers)."""
    from waystation.operations import alerts_table

    console.print(asyncio.run(alerts_table(_redis_url(), count)))


outbox_app = typer.Typer(help="A service's transactional outbox.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("republish")
def outbox_republish(name: ServiceName, case_id: str) -> None:
    """Publish a case's events again from the service's outbox (consumers skip duplicates)."""
    from waystation.operations import republish_case

    entry = SERVICES[_check(name)]
    count = asyncio.run(republish_case(entry.settings(), case_id))
    console.print(f"{name}: republished {count} event(s) of case {case_id}")


retention_app = typer.Typer(help="Personal data retention (PIPL Art. 19).", no_args_is_help=True)
app.add_typer(retention_app, name="retention")


@retention_app.command("run")
def retention_run() -> None:
    """Purge personal data of cases finished longer than the retention period ago, now."""
    purged = intake_cli.retention_run()
    cleared = notify_cli.retention_run()
    console.print(
        f"intake: {purged.parties} party record(s) of {purged.cases} case(s) cleared; "
        f"notify: {cleared} contact(s) cleared"
    )


app.add_typer(mediation_cli.rollups_app, name="rollups")


@app.command()
def audit(
    service: Annotated[str, typer.Option(help="intake | mediation | dispatch | notify")],
    case: Annotated[str | None, typer.Option(help="a case id")] = None,
    actor: Annotated[str | None, typer.Option(help="an actor id")] = None,
    action: Annotated[str | None, typer.Option(help="read, list, update, purge, ...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Who read or changed personal data (审计日志), newest first: field names, never values."""
    import uuid

    from waystation.audit import audit_table

    if case is not None:
        try:
            uuid.UUID(case)
        except ValueError as exc:
            raise typer.BadParameter(f"--case: not a case id: {case[:40]!r}") from exc
    console.print(asyncio.run(audit_table(_check(service), case, actor, action, limit)))


@app.command()
def pending(partitions: Partitions = None) -> None:
    """Consumer lag and pending entries per (stream partition, group)."""
    from waystation.operations import pending_table

    console.print(asyncio.run(pending_table(_redis_url(), partitions)))


@app.command()
def drained(
    partitions: Annotated[
        list[int] | None,
        typer.Option(
            min=1,
            max=256,
            help="partition counts whose streams to check (repeatable; default: "
            "STREAM_PARTITIONS, and 1)",
        ),
    ] = None,
    outboxes: Annotated[
        bool, typer.Option(help="also require every service's outbox to be empty")
    ] = True,
    group: Annotated[
        list[str] | None, typer.Option(help="only these consumer groups (repeatable)")
    ] = None,
) -> None:
    """Exit 0 when every group of every stream has nothing pending or unread (and, unless
    --no-outboxes, no outbox row waits): the moment to change STREAM_PARTITIONS."""
    from shared.messaging.partitions import configured_partitions
    from waystation.drain import DatabaseUnreadable, backlogs

    counts = partitions or sorted({1, configured_partitions()})
    urls = (
        {name: str(entry.settings().database_url) for name, entry in SERVICES.items()}
        if outboxes
        else None
    )
    try:
        found = asyncio.run(backlogs(_redis_url(), counts, urls, set(group) if group else None))
    except DatabaseUnreadable as exc:
        console.print(f"无法读取 {exc.service} 的数据库 cannot read the database: {exc.reason}")
        raise typer.Exit(2) from exc
    if not found:
        console.print(f"已排空 drained (partitions {', '.join(map(str, counts))})")
        return
    table = Table("stream / outbox", "group / service", "pending", "lag")
    for b in found:
        table.add_row(b.where, b.who, str(b.pending), str(b.lag))
    console.print(table)
    console.print(f"未排空 not drained: {len(found)} place(s) still hold work")
    raise typer.Exit(1)


@app.command()
def bench(
    quick: Annotated[
        bool, typer.Option(help="the short profile (< 2 min): keeps the harness honest")
    ] = False,
    out: Path = Path("bench/results"),
    phase: Annotated[
        list[str] | None,
        typer.Option(
            help="only these phases: throughput, latency, backlog_drain, scale, stations, scale_out"
        ),
    ] = None,
    scale_cases: Annotated[int | None, typer.Option(help="cases for the scale phase")] = None,
    scale_out: Annotated[
        bool,
        typer.Option(
            "--scale-out",
            help="only the scale-out phase (replicas × partitions; part of the full run)",
        ),
    ] = False,
    shape: Annotated[
        list[str] | None,
        typer.Option(help="scale-out shapes, RxN or RxNc on a cluster (default: all five)"),
    ] = None,
    scale_out_seconds: Annotated[
        float | None, typer.Option(help="scale-out: the offered window per shape")
    ] = None,
    scale_out_rate: Annotated[
        float | None, typer.Option(help="scale-out: tickets/s offered to every shape")
    ] = None,
    pg_admin_url: Annotated[
        str, typer.Option(envvar="WAYSTATION_BENCH_PG_ADMIN_URL")
    ] = "postgresql://postgres@127.0.0.1:5432/postgres",
) -> None:
    """Benchmark the whole system beside a raw Redis baseline; writes JSON, report and PNG."""
    import signal
    import sys
    import tempfile
    from dataclasses import replace

    # A stopped run (SIGTERM) still stops the systems it started and drops their databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from waystation.bench.report import write_report
    from waystation.bench.runner import FULL, QUICK, Bench, bare_result
    from waystation.bench.scaleout import SHAPES, Shape
    from waystation.bench.scaleout import scale_out as run_scale_out
    from waystation.bench.system import BenchSystem

    profile = QUICK if quick else FULL
    if scale_cases:
        profile = replace(profile, scale_cases=scale_cases)
    if scale_out_seconds:
        profile = replace(profile, scale_out_seconds=scale_out_seconds)
    if scale_out_rate:
        profile = replace(profile, scale_out_rate=scale_out_rate)
    chosen = tuple(phase or ())
    main_phases = tuple(p for p in chosen if p != "scale_out")
    # The full run takes every phase; the quick profile leaves scale-out out (minutes, not
    # seconds) unless asked for.
    with_scale_out = scale_out or "scale_out" in chosen or (not quick and not chosen)
    with_main = not scale_out and (not chosen or bool(main_phases))
    try:
        shapes = tuple(Shape.parse(s) for s in shape) if shape else SHAPES
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="waystation-bench-") as tmp:
        if with_main:
            system = BenchSystem(Path(tmp), pg_admin_url)
            try:
                system.start()
                result = Bench(system, profile, Path(tmp)).run(main_phases)
            finally:
                system.stop()
        if with_scale_out:
            console.rule("scale_out")
            figures = run_scale_out(profile, Path(tmp) / "scale-out", pg_admin_url, shapes)
            if not with_main:
                result = bare_result(profile, figures["shapes"][0]["baseline"])
            result["phases"]["scale_out"] = figures
    stem = f"{utc_now():%Y%m%dT%H%M%S}-{profile.name}{'-scale-out' if not with_main else ''}"
    for path in write_report(result, out, stem):
        console.print(f"wrote {path}")
    console.print((out / f"{stem}.md").read_text(encoding="utf-8"))


@app.command()
def docs(out: Path = Path("docs/asyncapi")) -> None:
    """Write the AsyncAPI document of every service's streams."""
    from waystation.asyncapi import write_all

    for path in write_all(out):
        console.print(f"wrote {path}")


if __name__ == "__main__":
    app()
