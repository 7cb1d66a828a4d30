"""What a ticket costs the databases: transactions, rows and statements per ticket, per service.

Starts the benchmark's system, turns on `log_statement = all` for the bench's own four
databases only (ALTER DATABASE, before any service connects), offers tickets at RATE/s for
SECONDS, waits for them to settle, and reads per ticket: each database's transactions
(`pg_stat_database`), each table's inserted/updated rows and scans (`pg_stat_user_tables`), and
the statements PostgreSQL logged in the load's window, by their first words. A statement of an
`executemany` is logged once per row although it is one round trip. Needs a superuser on the
local PostgreSQL and its server log readable (PG_SERVER_LOG, Debian's path by default).

Run from the repository root:
    .venv/bin/python bench/scripts/statements_per_ticket.py [RATE] [SECONDS]
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, ".")

import psycopg  # noqa: E402
from rich.console import Console  # noqa: E402

from waystation.bench.runner import _read_pairs  # noqa: E402
from waystation.bench.system import SERVICES, BenchSystem  # noqa: E402

PG = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
LOG = Path(os.environ.get("PG_SERVER_LOG", "/var/log/postgresql/postgresql-15-main.log"))
console = Console(highlight=False, markup=False, soft_wrap=True)
_STATEMENT = re.compile(
    r"@(ws_bench_\w+?_[0-9a-f]{8}) LOG:  (?:statement|execute [^:]*): (.{0,50})"
)


class LoggedSystem(BenchSystem):
    """The bench system, its databases logging every statement."""

    def _create_databases(self) -> None:
        super()._create_databases()
        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            for url in self.databases.values():
                conn.execute(
                    f"ALTER DATABASE \"{url.rsplit('/', 1)[1]}\" SET log_statement = 'all'"
                )


def _database(system: BenchSystem, name: str) -> str:
    return system.databases[name].rsplit("/", 1)[1]


def _database_counts(system: BenchSystem) -> dict[str, tuple[int, ...]]:
    with psycopg.connect(PG, autocommit=True) as conn:
        return {
            name: conn.execute(
                "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted"
                " FROM pg_stat_database WHERE datname = %s",
                (_database(system, name),),
            ).fetchone()
            or (0, 0, 0, 0, 0)
            for name in SERVICES
        }


def _table_counts(system: BenchSystem, name: str) -> dict[str, tuple[int, ...]]:
    with psycopg.connect(system.databases[name].replace("+asyncpg", ""), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(seq_scan, 0),"
            " coalesce(idx_scan, 0) FROM pg_stat_user_tables"
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def main(rate: str, seconds: str) -> None:
    system = LoggedSystem(Path(tempfile.mkdtemp(prefix="ws-statements-")), PG)
    try:
        system.start()
        time.sleep(2)  # start-up's own statements (seeding, first polls) go before the window
        offset = LOG.stat().st_size
        before = _database_counts(system)
        tables_before = {name: _table_counts(system, name) for name in SERVICES}
        out = system.folder / "load.log"
        subprocess.run(
            [sys.executable, "-m", "waystation.bench.load", system.url("intake"), rate, seconds]
            + [str(out), "64", "0"],
            env=system.env(),
            check=True,
        )
        tickets = _read_pairs(out)  # settled: every ticket's webhook at the sink (bounded)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not set(tickets) <= set(_read_pairs(system.sink_log)):
            time.sleep(0.25)
        # an idle backend reports its counts to pg_stat within PostgreSQL's idle interval (10 s)
        time.sleep(11)
        end = LOG.stat().st_size
        after = _database_counts(system)
        tables_after = {name: _table_counts(system, name) for name in SERVICES}
        filed = max(len(tickets), 1)
        with LOG.open("rb") as log:
            log.seek(offset)
            text = log.read(end - offset).decode(errors="replace")
        ours = {_database(system, name): name for name in SERVICES}  # not other runs' logs
        statements: collections.Counter[tuple[str, str]] = collections.Counter()
        for match in _STATEMENT.finditer(text):
            if match.group(1) in ours:
                statements[(ours[match.group(1)], match.group(2))] += 1
        console.print(f"offered {rate}/s for {seconds}s: {filed} tickets filed")
        for name in SERVICES:
            commits, rollbacks, ins, upd, dele = (
                (a - b) / filed for a, b in zip(after[name], before[name], strict=True)
            )
            total = sum(v for (svc, _), v in statements.items() if svc == name) / filed
            console.print(
                f"\n== {name}: {total:.1f} statements, {commits:.2f} commits, {rollbacks:.2f}"
                f" rollbacks, rows inserted {ins:.1f}, updated {upd:.1f}, deleted {dele:.1f}"
                " per ticket"
            )
            for (svc, words), count in statements.most_common():
                if svc == name and count / filed >= 0.1:
                    console.print(f"  {count / filed:5.2f}  {words}")
            for table, counts in sorted(tables_after[name].items()):
                old = tables_before[name].get(table, (0, 0, 0, 0, 0))
                delta = [(a - b) / filed for a, b in zip(counts, old, strict=True)]
                if any(abs(v) >= 0.05 for v in delta):
                    console.print(
                        f"  table {table}: inserted {delta[0]:.2f}, updated {delta[1]:.2f},"
                        f" deleted {delta[2]:.2f}, seq scans {delta[3]:.2f},"
                        f" index scans {delta[4]:.2f}"
                    )
    finally:
        system.stop()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "30", sys.argv[2] if len(sys.argv) > 2 else "20")
