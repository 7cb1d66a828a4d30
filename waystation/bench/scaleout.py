"""The scale-out phase (#22): the same load through several shapes of the system.

A shape is R processes of every service (R replicas) on N stream partitions, on one Redis node
or on a local 3-master Redis Cluster. Each shape gets a fresh system (own databases, own Redis),
a short warm-up, then tickets offered at a rate above what the machine delivers for a fixed
window; every filed ticket is then waited for (bounded) at the sink. Per shape:

- throughput: tickets delivered (first notice at the sink) per second, from the first filing
  to the last delivery (the offered load is above what the shape takes, so this is the shape's
  ceiling, pipeline fill and drain included); intake's acceptance (201s per second) apart;
- CPU per ticket: user + system seconds of every service process from the window's start until
  the last ticket arrived, over the tickets delivered; Redis's (every node) and PostgreSQL's
  (the backends serving the shape's databases) apart;
- idle: the service processes' CPU (in cores) over a few seconds with no load, before it;
- the raw baseline (bare XADD → XREADGROUP → XACK) on the shape's own Redis, in the same run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console

from waystation.bench.baseline import run_baseline
from waystation.bench.system import BenchSystem, cpu_seconds, postgres_pids

console = Console()
IDLE_SECONDS = 5.0


@dataclass(frozen=True)
class Shape:
    replicas: int
    partitions: int
    cluster: bool = False

    @classmethod
    def parse(cls, text: str) -> Shape:
        """`2x4` is two replicas of every service on four partitions; `2x4c` on a cluster."""
        body = text.strip().lower()
        cluster = body.endswith("c")
        replicas, _, partitions = body.rstrip("c").partition("x")
        shape = cls(int(replicas), int(partitions or 1), cluster)
        if shape.replicas < 1 or shape.partitions < 1 or (cluster and shape.partitions < 2):
            raise ValueError(f"not a shape: {text!r} (RxN, RxNc on a cluster with N >= 2)")
        return shape

    @property
    def key(self) -> str:
        return f"{self.replicas}x{self.partitions}{'c' if self.cluster else ''}"

    @property
    def label(self) -> str:
        where = "3-master Redis Cluster" if self.cluster else "one Redis"
        return f"{self.replicas} × every service, N = {self.partitions}, {where}"


SHAPES = tuple(Shape.parse(s) for s in ("1x1", "2x1", "1x4", "2x4", "2x4c"))


def measure(
    shape: Shape, profile: Any, folder: Path, pg_admin_url: str, payload_bytes: int
) -> dict[str, Any]:
    """One shape on a fresh system: its figures (see the module's docstring)."""
    from waystation.bench.runner import Bench

    rate, seconds = profile.scale_out_rate, profile.scale_out_seconds
    system = BenchSystem(
        folder / shape.key,
        pg_admin_url,
        replicas=shape.replicas,
        partitions=shape.partitions,
        cluster=shape.cluster,
    )
    with console.status(f"starting {shape.label}"):
        started = time.monotonic()
        system.start()
        start_up = time.monotonic() - started
    try:
        # One loader per intake replica at least, so each replica takes filings.
        bench = Bench(
            system,
            replace(profile, loaders=max(profile.loaders, shape.replicas)),
            system.folder,
        )
        warm_rate, warm_seconds = profile.warm_up
        warm, _ = bench.offer(warm_rate, warm_seconds, "warm-up")
        bench.delivered(warm, timeout=60)
        databases = list(system.databases.values())
        pg = postgres_pids(databases)
        services, redis_pids = system.service_pids(), system.redis_pids
        # What the processes burn with no work (pollers, timers, relays): a fixed cost that
        # grows with processes and partitions, not with tickets.
        idle_from, idle_cpu = time.monotonic(), cpu_seconds(services)
        time.sleep(IDLE_SECONDS)
        idle_cores = (cpu_seconds(services) - idle_cpu) / (time.monotonic() - idle_from)
        before = cpu_seconds(services), cpu_seconds(redis_pids), cpu_seconds(pg)
        t0 = time.time()
        filed, offered = bench.offer(rate, seconds, f"scale-out-{shape.key}")
        arrivals = bench.delivered(filed, timeout=max(120.0, 10 * seconds))
        after = cpu_seconds(services), cpu_seconds(redis_pids), cpu_seconds(pg)
        last = max(arrivals.values(), default=t0)
        last_filed = max(filed.values(), default=t0)
        delivered = len(arrivals)

        def per_ticket_ms(i: int) -> float | None:
            return round((after[i] - before[i]) / delivered * 1000, 2) if delivered else None

        baseline = asyncio.run(run_baseline(system.redis_url, 2000, payload_bytes))
        figures = {
            "shape": shape.key,
            "label": shape.label,
            "replicas": shape.replicas,
            "partitions": shape.partitions,
            "cluster": shape.cluster,
            "processes": len(system.processes()),
            "start_up_seconds": round(start_up, 1),
            "offered_per_s": rate,
            "seconds": seconds,
            "offered": offered,
            "filed": len(filed),
            "delivered": delivered,
            "undelivered": len(filed) - delivered,
            "delivered_per_s": round(delivered / max(last - t0, 1e-6), 1),
            "filed_per_s": round(len(filed) / max(last_filed - t0, 1e-6), 1),
            "filing_seconds": round(last_filed - t0, 1),
            "last_delivery_after_s": round(last - t0, 1),
            "service_cpu_ms_per_ticket": per_ticket_ms(0),
            "redis_cpu_ms_per_ticket": per_ticket_ms(1),
            "postgres_cpu_ms_per_ticket": per_ticket_ms(2),
            "postgres_backends_seen": len(pg),
            "idle_service_cpu_cores": round(idle_cores, 3),
            "peak_rss_mb": {k: round(v, 1) for k, v in bench.peak_rss.items()},
            "baseline": {
                "per_second": baseline.per_second,
                "p50_ms": baseline.p50_ms,
                "p99_ms": baseline.p99_ms,
                "messages": baseline.messages,
            },
        }
    finally:
        system.stop()
    console.print(
        f"  {shape.label}: {figures['delivered_per_s']} tickets/s, "
        f"{figures['service_cpu_ms_per_ticket']} ms service CPU per ticket, "
        f"{figures['delivered']}/{figures['filed']} delivered; "
        f"raw baseline {baseline.per_second} msg/s"
    )
    return figures


def scale_out(
    profile: Any, folder: Path, pg_admin_url: str, shapes: tuple[Shape, ...] = SHAPES
) -> dict[str, Any]:
    """Every shape in turn (each on a fresh system); the phase's figures."""
    import json

    from waystation.bench.runner import _sample_envelope

    payload = len(json.dumps(_sample_envelope()).encode())
    measured = [measure(shape, profile, folder, pg_admin_url, payload) for shape in shapes]
    return {
        "offered_per_s": profile.scale_out_rate,
        "seconds": profile.scale_out_seconds,
        "shapes": measured,
    }
