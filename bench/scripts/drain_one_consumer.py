"""One dispatch process draining N queued hazards, as the benchmark's backlog phase runs it.

Starts the bench system (private Redis, the four services on fresh PostgreSQL databases),
stops every service, queues N `case.filed` hazards on intake's stream, starts dispatch alone
and times its drain from the first event drained. With a path for PROFILE, py-spy samples
dispatch meanwhile (`pip install py-spy`; raw collapsed stacks, read them with any
flame-graph tool).

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

import redis  # noqa: E402

from waystation.bench.runner import _queue_filed_hazards  # noqa: E402
from waystation.bench.system import SERVICES, BenchSystem  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def main(n: int, profile: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="ws-drain-") as tmp:
        system = BenchSystem(Path(tmp), PG)
        try:
            system.start()
            for name in SERVICES:
                system.stop_service(name)
            asyncio.run(_queue_filed_hazards(system.redis_url, n))
            client = redis.Redis.from_url(system.redis_url)

            def left() -> int:
                groups = client.xinfo_groups("waystation.intake")
                group = next(g for g in groups if g["name"] == b"dispatch")
                return int(group["pending"] + (group.get("lag") or 0))

            before = left()
            started = time.monotonic()
            system.start_service("dispatch")
            spy = None
            if profile:
                spy = subprocess.Popen(
                    [shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))]
                    + ["record", "--format", "raw", "-o", profile]
                    + ["-p", str(system.procs["dispatch"].pid)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            first, at_first = 0.0, before
            while (remaining := left()) > 0:
                if not first and remaining < before:
                    first, at_first = time.monotonic(), remaining
                time.sleep(0.1)
            ended = time.monotonic()
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
            rate = at_first / max(ended - (first or ended), 1e-6)
            sys.stdout.write(
                f"dispatch drained {before} hazards: {rate:.0f}/s from the first event "
                f"(start-up {(first or ended) - started:.1f} s)\n"
            )
        finally:
            system.stop()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 4000, sys.argv[2] if len(sys.argv) > 2 else None
    )
