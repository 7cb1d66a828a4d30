"""One dispatch process draining N queued hazards, as the benchmark's backlog phase runs it.

Starts the bench system (private Redis, the four services on fresh PostgreSQL databases),
stops every service, queues N `case.filed` hazards on intake's stream, starts dispatch alone
and times its drain from the first event drained, with dispatch's CPU over the same span (per
hazard, and how busy it kept its core) and that of PostgreSQL and Redis (every process of theirs
on the machine). With a path for PROFILE, py-spy samples dispatch meanwhile (`pip install
py-spy`; raw collapsed stacks, read them with any flame-graph tool).

Run from the repository root:
    .venv/bin/python bench/scripts/drain_one_consumer.py [N] [PROFILE]
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, ".")

import psutil  # noqa: E402
import redis  # noqa: E402

from waystation.bench.runner import (  # noqa: E402
    _queue_filed_hazards,
    dispatch_backlog,
    time_drain,
)
from waystation.bench.system import SERVICES, BenchSystem  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _servers_cpu() -> float:
    """CPU seconds of every PostgreSQL and Redis process on the machine."""
    total = 0.0
    for proc in psutil.process_iter(["name", "cpu_times"]):
        if (proc.info["name"] or "").startswith(("postgres", "redis")) and proc.info["cpu_times"]:
            total += proc.info["cpu_times"].user + proc.info["cpu_times"].system
    return total


def main(n: int, profile: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="ws-drain-") as tmp:
        system = BenchSystem(Path(tmp), PG)
        try:
            system.start()
            for name in SERVICES:
                system.stop_service(name)
            asyncio.run(_queue_filed_hazards(system.redis_url, n))
            client = redis.Redis.from_url(system.redis_url)
            spy: list[subprocess.Popen[bytes]] = []

            def start() -> None:
                system.start_service("dispatch")
                if profile:
                    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
                    pid = str(system.procs["dispatch"].pid)
                    spy.append(
                        subprocess.Popen(
                            [py_spy, "record", "--format", "raw", "-o", profile, "-p", pid],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        )
                    )

            marks: list[tuple[float, float, float]] = []  # once the first event is drained

            def mark(left: int) -> None:
                if not marks and left < n:  # not during dispatch's start-up and migrations
                    pid = system.procs["dispatch"].pid
                    marks.append((time.monotonic(), _cpu(pid), _servers_cpu()))

            timed = time_drain(lambda: dispatch_backlog(client), start, mark)
            ended, cpu, servers = (
                time.monotonic(),
                _cpu(system.procs["dispatch"].pid),
                _servers_cpu(),
            )
            drain = timed.figures()
            for process in spy:
                process.send_signal(2)
                process.wait(30)
            at, cpu0, servers0 = marks[0]
            span = ended - at
            sys.stdout.write(
                f"dispatch drained {drain['events']} hazards: {drain['events_per_s']:.0f}/s "
                f"from the first event (start-up {drain['start_up_seconds']:.1f} s); dispatch "
                f"{1000 * (cpu - cpu0) / n:.3f} ms of CPU per hazard, busy "
                f"{(cpu - cpu0) / span:.2f} of a core; PostgreSQL and Redis "
                f"{1000 * (servers - servers0) / n:.3f} ms per hazard\n"
            )
        finally:
            system.stop()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 4000, sys.argv[2] if len(sys.argv) > 2 else None
    )
