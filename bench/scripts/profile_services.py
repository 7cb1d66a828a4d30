"""Where the whole system spends its CPU under load: py-spy on every service at once.

Starts the benchmark's system (private Redis, four services on fresh PostgreSQL databases, the
sink), offers tickets at RATE/s for SECONDS with the bench's load generator, and samples each
service with `py-spy record --format raw` meanwhile. Prints, per service, CPU seconds used (read
once every ticket's webhook reached the sink, or 120 s after the load) and the functions with
the most samples (inclusive, project code and the libraries it calls).

Run from the repository root (py-spy is not a dependency: `pip install py-spy`):
    .venv/bin/python bench/scripts/profile_services.py [RATE] [SECONDS]
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, ".")

from rich.console import Console  # noqa: E402

from waystation.bench.runner import _read_pairs  # noqa: E402
from waystation.bench.system import SERVICES, BenchSystem  # noqa: E402

console = Console(highlight=False, markup=False)

PG = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Leaves of a thread that waits rather than works (py-spy still samples some of them).
_IDLE = ("Condition.wait", "Queue.get", "select (", "_worker (concurrent", "poll (")
# Frames every busy sample of a service passes through: start-up, not cost.
_FRAME = ("typer", "runpy", "cli.py", "serve.py", "uvicorn/server", "runners.py", "_compat")


def top_frames(raw: Path, n: int = 30) -> tuple[int, list[tuple[str, int]]]:
    """(busy samples, [(function, inclusive samples)]) from py-spy's collapsed stacks."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        # "function (path:line)" -> "function (path)": one entry per function
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        if frames[-1].startswith(_IDLE):
            continue
        samples = int(count)
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
    ranked = [(f, c) for f, c in inclusive.most_common() if not any(k in f for k in _FRAME)]
    return total, ranked[:n]


def main() -> None:
    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 40.0
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 40.0
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    folder = Path(tempfile.mkdtemp(prefix="ws-profile-"))
    system = BenchSystem(folder, PG)
    try:
        system.start()  # inside: a service that does not come up still stops the others
        pids = {name: system.procs[name].pid for name in SERVICES}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        spies = {
            name: subprocess.Popen(
                [spy, "record", "--pid", str(pid), "--rate", "50", "--format", "raw"]
                + ["--duration", str(int(seconds)), "--output", str(folder / f"{name}.raw")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, pid in pids.items()
        }
        out = folder / "load.log"
        load = subprocess.Popen(
            [sys.executable, "-m", "waystation.bench.load", system.url("intake"), str(rate)]
            + [str(seconds), str(out), "64", "0"],
            env=system.env(),
        )
        load.wait()
        ended = time.monotonic()
        # CPU is read once every ticket's department webhook reached the sink (bounded): a
        # service that fell behind has not yet spent what its tickets cost
        tickets = _read_pairs(out)
        while time.monotonic() - ended < 120:
            arrived = _read_pairs(system.sink_log)
            if all(ticket in arrived for ticket in tickets):
                break
            time.sleep(0.25)
        arrived_after = time.monotonic() - ended
        for proc in spies.values():
            proc.wait()
        time.sleep(2)
        after = {name: cpu_seconds(pid) for name, pid in pids.items()}
        filed = len(tickets)
        reached = sum(ticket in _read_pairs(system.sink_log) for ticket in tickets)
        console.print(
            f"offered {rate}/s for {seconds}s: {filed} tickets filed (201), {reached} webhooks"
            f" at the sink {arrived_after:.1f} s after the load ended"
        )
        for name in SERVICES:
            total, frames = top_frames(folder / f"{name}.raw")
            used = after[name] - before[name]
            console.print(
                f"\n== {name}: {used:.1f} CPU s ({used / max(filed, 1) * 1000:.1f} ms/ticket)"
            )
            for frame, samples in frames:
                console.print(f"{100 * samples / max(total, 1):5.1f}%  {frame[:150]}")
    finally:
        system.stop()
        console.print(f"\nraw profiles in {folder}")


if __name__ == "__main__":
    main()
