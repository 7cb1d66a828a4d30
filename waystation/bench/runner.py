"""Runs the benchmark phases and writes the JSON result, the report and the histogram."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis
from rich.console import Console
from rich.progress import Progress

from shared.platform.clock import utc_now
from waystation.bench.baseline import percentile, run_baseline
from waystation.bench.system import SERVICES, BenchSystem

console = Console()


@dataclass(frozen=True)
class Profile:
    """How long and how hard: the quick profile keeps the harness honest in CI (< 2 min)."""

    name: str
    step_seconds: float
    rates: tuple[float, ...]
    sustain_seconds: float
    latency_rate: float
    latency_seconds: float
    backlog_events: int
    scale_cases: int
    loaders: int
    # Offered before any figure is taken (imports, connection pools, statement caches), not
    # measured: (tickets/s, seconds).
    warm_up: tuple[float, float] = (5, 3)
    # The station figures (#25): stations in the nearest query's index, reports in the coverage.
    stations: int = 100_000
    coverage_reports: int = 1_000_000
    # The scale-out phase (#22): each shape offered `scale_out_rate` tickets/s (above what this
    # machine delivers, so the shape's own ceiling is measured) for `scale_out_seconds`.
    scale_out_seconds: float = 20
    scale_out_rate: float = 60


QUICK = Profile(
    "quick",
    6,
    (25, 50),
    6,
    20,
    6,
    2_000,
    5_000,
    1,
    stations=20_000,
    coverage_reports=100_000,
    scale_out_seconds=5,
    scale_out_rate=20,
)
# The full profile's steps start low so that a machine far below the target still gets a figure
# (a first step that falls behind would leave nothing to sustain).
FULL = Profile(
    "full",
    20,
    (10, 20, 30, 40, 60, 100, 200, 400, 800, 1200),
    60,
    100,
    60,
    100_000,
    1_000_000,
    2,
    (10, 10),
)


@dataclass
class Phase:
    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)


def _read_pairs(path: Path) -> dict[str, float]:
    pairs: dict[str, float] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            if key and key not in pairs:
                pairs[key] = float(value)
    return pairs


def _backlog(url: str) -> int:
    client = redis.Redis.from_url(url)
    total = 0
    for name in SERVICES:
        stream = f"waystation.{name}"
        if client.exists(stream):
            total += sum(g["pending"] + (g.get("lag") or 0) for g in client.xinfo_groups(stream))
    return total


class Bench:
    def __init__(self, system: BenchSystem, profile: Profile, folder: Path) -> None:
        self.system, self.profile, self.folder = system, profile, folder
        self.peak_rss: dict[str, float] = {}
        self.latencies_ms: list[float] = []

    def _next_offset(self, count: int) -> int:
        """Where the next loader starts on the grid: each takes its own stretch of `count`
        spots, so no ticket of the run lands on another's spot (a merged duplicate gets no
        department notice, and would read as a ticket the system failed to deliver)."""
        start = getattr(self, "_offset", 0)
        self._offset = start + count
        return start

    def _sample_rss(self) -> None:
        for name, mb in self.system.rss_mb().items():
            self.peak_rss[name] = max(self.peak_rss.get(name, 0.0), mb)

    def offer(self, rate: float, seconds: float, tag: str) -> tuple[dict[str, float], int]:
        """Run the load generator processes; returns (case -> t_201) and offered count."""
        loaders = self.profile.loaders
        outs = [self.folder / f"{tag}-{i}.log" for i in range(loaders)]
        # The loaders take intake's replicas in turn (a balancer's round robin).
        intakes = self.system.intake_urls()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "waystation.bench.load",
                    intakes[i % len(intakes)],
                    str(rate / loaders),
                    str(seconds),
                    str(out),
                    "64",
                    str(self._next_offset(int(rate / loaders * seconds) + 100)),
                ],
                env=self.system.env(),
            )
            for i, out in enumerate(outs)
        ]
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"{tag}: {rate:.0f} tickets/s", total=seconds)
            started = time.monotonic()
            while any(p.poll() is None for p in procs):
                progress.update(task, completed=min(time.monotonic() - started, seconds))
                self._sample_rss()
                time.sleep(0.5)
        filed: dict[str, float] = {}
        offered = 0
        for out in outs:
            filed.update(_read_pairs(out))
            failures = out.with_suffix(".failures")
            if failures.exists():
                offered += json.loads(failures.read_text())["offered"]
        return filed, offered

    def delivered(self, filed: dict[str, float], timeout: float) -> dict[str, float]:
        """Wait (bounded) until every filed ticket's first notification reached the sink."""
        deadline = time.monotonic() + timeout
        while True:
            arrivals = _read_pairs(self.system.sink_log)
            self._sample_rss()
            if all(c in arrivals for c in filed) or time.monotonic() > deadline:
                return {c: arrivals[c] for c in filed if c in arrivals}
            time.sleep(0.25)

    def _run_at(self, rate: float, seconds: float, tag: str) -> dict[str, Any]:
        """Offer `rate`/s for `seconds`; did every ticket reach the sink within 25% extra time?"""
        started = time.time()
        filed, offered = self.offer(rate, seconds, tag)
        arrivals = self.delivered(filed, timeout=max(30.0, seconds))
        last = max(arrivals.values(), default=started)
        return {
            "offered_per_s": rate,
            "seconds": seconds,
            "filed": len(filed),
            "delivered": len(arrivals),
            "delivered_per_s": round(len(arrivals) / max(last - started, 1e-6), 1),
            "backlog_after": _backlog(self.system.redis_url),
            "kept_up": (
                len(arrivals) == len(filed)
                and len(filed) >= 0.95 * offered
                and (last - started) <= seconds * 1.25
            ),
        }

    def warm_up(self) -> dict[str, Any]:
        """A little load through the whole path before anything is measured; not a figure."""
        rate, seconds = self.profile.warm_up
        console.rule("warm-up")
        filed, _ = self.offer(rate, seconds, "warm-up")
        arrivals = self.delivered(filed, timeout=60)
        return {
            "offered_per_s": rate,
            "seconds": seconds,
            "filed": len(filed),
            "delivered": len(arrivals),
        }

    def throughput(self) -> Phase:
        """Step the offered rate up; the best rate whose deliveries kept up is then sustained."""
        steps = []
        for rate in self.profile.rates:
            step = self._run_at(rate, self.profile.step_seconds, f"step-{rate:.0f}")
            steps.append(step)
            console.print(
                f"  offered {rate:>6.0f}/s  delivered {step['delivered_per_s']:>7.1f}/s"
                f"  kept up: {step['kept_up']}"
            )
            if not step["kept_up"]:
                break
        best = max((s["offered_per_s"] for s in steps if s["kept_up"]), default=0.0)
        sustained: dict[str, Any] = {}
        if best:
            sustained = self._run_at(best, self.profile.sustain_seconds, "sustain")
            console.print(
                f"  sustained {best:.0f}/s for {self.profile.sustain_seconds:.0f} s: "
                f"delivered {sustained['delivered_per_s']}/s  kept up: {sustained['kept_up']}"
            )
        return Phase(
            "throughput", {"steps": steps, "best_kept_up_per_s": best, "sustained": sustained}
        )

    def latency(self) -> Phase:
        """201 → sink at the latency rate; a system that falls behind is waited for (bounded)."""
        seconds = self.profile.latency_seconds
        filed, _ = self.offer(self.profile.latency_rate, seconds, "latency")
        arrivals = self.delivered(filed, timeout=min(max(60.0, 10 * seconds), 900.0))
        self.latencies_ms = [(arrivals[c] - t) * 1000 for c, t in filed.items() if c in arrivals]
        lat = self.latencies_ms
        return Phase(
            "latency",
            {
                "offered_per_s": self.profile.latency_rate,
                "filed": len(filed),
                "samples": len(lat),
                # not delivered within the wait: percentiles are over delivered tickets only
                "undelivered": len(filed) - len(lat),
                "p50_ms": round(percentile(lat, 50), 1),
                "p95_ms": round(percentile(lat, 95), 1),
                "p99_ms": round(percentile(lat, 99), 1),
                "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            },
        )

    def backlog_drain(self) -> Phase:
        """N filed hazards queued while dispatch is stopped, then drained by that one process.

        The target is for one consumer process (docs/performance.md): intake, mediation and
        notify are stopped for the drain, so they neither compete for the cores nor consume the
        backlog's events; afterwards their groups skip what the backlog produced (a throw-away
        system: those hazards' department notices are not part of this figure) and they start
        again.
        """
        n = self.profile.backlog_events
        others = [name for name in SERVICES if name != "dispatch"]
        for name in SERVICES:
            self.system.stop_service(name)
        asyncio.run(_queue_filed_hazards(self.system.redis_url, n))
        client = redis.Redis.from_url(self.system.redis_url)
        before = dispatch_backlog(client)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("backlog drain", total=before)

            def polled(left: int) -> None:
                progress.update(task, completed=before - left)
                self._sample_rss()

            drain = time_drain(
                lambda: dispatch_backlog(client),
                start=lambda: self.system.start_service("dispatch"),
                on_poll=polled,
            )
        skipped = _skip_to_the_end(client, others)
        for name in others:
            self.system.start_service(name)
        for name in others:
            self.system.wait_ready(name)
        return Phase(
            "backlog_drain",
            {
                **drain.figures(),
                "consumer": "dispatch, alone (intake, mediation, notify stopped)",
                "skipped_by_the_others": skipped,
            },
        )

    def scale(self) -> Phase:
        """Committee queries at p95 with `scale_cases` disputes in PostgreSQL."""
        from waystation.bench.scale import load_disputes, rebuild_rollups, time_queries

        n = self.profile.scale_cases
        database = self.system.databases["mediation"]
        with console.status(f"loading {n:,} disputes into mediation's database"):
            seconds = asyncio.run(load_disputes(database, n))
        with console.status("rebuilding the committee's rollups from the loaded disputes"):
            rebuild_seconds = asyncio.run(rebuild_rollups(database))
        self._sample_rss()
        queries = time_queries(
            self.system.url("mediation"),
            lambda: self.system.headers("committee"),
            rounds=20 if self.profile.name == "quick" else 60,
        )
        self._sample_rss()
        worst = max(q["p95_ms"] for q in queries.values())
        return Phase(
            "scale",
            {
                "cases": n,
                "load_seconds": round(seconds, 1),
                "rollup_rebuild_seconds": round(rebuild_seconds, 1),
                "queries": queries,
                "worst_p95_ms": worst,
            },
        )

    def stations(self) -> Phase:
        """The nearest query at p95 and the coverage figure (in this process, no service)."""
        from services.dispatch.entrypoints.cli import coverage_figures, nearest_figures

        with console.status(f"nearest query over {self.profile.stations:,} stations"):
            nearest = nearest_figures(self.profile.stations)
        with console.status(f"coverage of {self.profile.coverage_reports:,} reports"):
            coverage = coverage_figures(self.profile.coverage_reports)
        return Phase("stations", {"nearest": nearest, "coverage": coverage})

    def run(self, only: tuple[str, ...] = ()) -> dict[str, Any]:
        payload = len(json.dumps(_sample_envelope()).encode())
        phases: list[Phase] = []
        chosen = [
            p
            for p in (self.throughput, self.latency, self.backlog_drain, self.scale, self.stations)
            if not only or p.__name__ in only
        ]
        warmed: dict[str, Any] = {}
        if any(p.__name__ in ("throughput", "latency") for p in chosen):
            warmed = self.warm_up()
        for phase in chosen:
            console.rule(phase.__name__)
            phases.append(phase())
        samples = max(self.profile.backlog_events, 1000)
        baseline = asyncio.run(run_baseline(self.system.redis_url, samples, payload))
        return {
            "profile": asdict(self.profile),
            "at": utc_now().isoformat(),
            "machine": _machine(),
            "baseline": asdict(baseline),
            "warm_up": warmed,
            "phases": {p.name: p.figures for p in phases},
            "peak_rss_mb": {k: round(v, 1) for k, v in self.peak_rss.items()},
            "latencies_ms": [round(x, 2) for x in self.latencies_ms],
        }


def bare_result(profile: Profile, baseline: dict[str, Any]) -> dict[str, Any]:
    """The result of a run of the scale-out phase alone: its first shape's baseline."""
    return {
        "profile": asdict(profile),
        "at": utc_now().isoformat(),
        "machine": _machine(),
        "baseline": {"payload_bytes": len(json.dumps(_sample_envelope()).encode()), **baseline},
        "warm_up": {},
        "phases": {},
        "peak_rss_mb": {},
        "latencies_ms": [],
    }


def dispatch_backlog(client: redis.Redis) -> int:
    """Entries of intake's stream that dispatch's group has not acknowledged yet."""
    group = next(g for g in client.xinfo_groups("waystation.intake") if g["name"] == b"dispatch")
    return int(group["pending"] + (group.get("lag") or 0))


@dataclass(frozen=True)
class Drain:
    """A timed drain: the rate counts from the first event drained (the consumer's start-up,
    imports and migrations, is reported apart)."""

    events: int
    started: float
    first: float  # when the backlog first shrank
    at_first: int  # events left then
    ended: float

    def figures(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "seconds": round(self.ended - self.first, 1),
            "events_per_s": round(self.at_first / max(self.ended - self.first, 1e-6), 1),
            "start_up_seconds": round(self.first - self.started, 1),
            "events_per_s_with_start_up": round(
                self.events / max(self.ended - self.started, 1e-6), 1
            ),
        }


def time_drain(
    left: Callable[[], int],
    start: Callable[[], None],
    on_poll: Callable[[int], None] = lambda _left: None,
    stall_seconds: float = 120.0,
) -> Drain:
    """Call `start` (the consumer), then poll `left` until nothing is; a backlog that does not
    shrink for `stall_seconds` (a consumer that died or hangs) ends the run with an error."""
    before = left()
    started = time.monotonic()
    start()
    first, at_first = 0.0, before
    last, moved_at = before, started
    while (remaining := left()) > 0:
        now = time.monotonic()
        if remaining < last:
            last, moved_at = remaining, now
            if not first:
                first, at_first = now, remaining
        elif now - moved_at > stall_seconds:
            raise RuntimeError(
                f"the backlog stopped draining: {remaining} of {before} left, "
                f"no progress for {stall_seconds:.0f} s"
            )
        on_poll(remaining)
        time.sleep(0.1)
    ended = time.monotonic()
    return Drain(before, started, first or ended, at_first, ended)


def _skip_to_the_end(client: redis.Redis, services: list[str]) -> int:
    """Move these services' groups past everything queued so far; returns entries skipped."""
    skipped = 0
    for name in SERVICES:
        stream = f"waystation.{name}"
        if not client.exists(stream):
            continue
        for group in client.xinfo_groups(stream):
            if group["name"].decode() in services:
                skipped += int(group.get("lag") or 0)
                client.xgroup_setid(stream, group["name"], "$")
    return skipped


def _machine() -> dict[str, Any]:
    import os
    import platform

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _sample_envelope(case_id: str | None = None) -> dict[str, Any]:
    import uuid

    from shared.contracts.envelope import new_event
    from shared.contracts.events.common import GeoPoint, PartyRef
    from shared.contracts.events.intake import CaseFiled, HazardDetails

    event = new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code="BNCH-0000",
            channel="officer",
            title="道路破损：赵巷镇",
            description="压测积压工单：路面坑洼",
            jurisdiction="zhaoxiang",
            parties=[PartyRef(role="reporter", party_id="p-bench", display_name="压测骑手")],
            hazard=HazardDetails(
                category="road_damage", location=GeoPoint(lat=31.1552, lng=121.1947)
            ),
        ),
        case_id=uuid.UUID(case_id) if case_id else uuid.uuid4(),
        producer="intake",
    )
    return event.model_dump(mode="json")


async def _queue_filed_hazards(url: str, n: int) -> None:
    from faststream.redis import RedisBroker
    from redis.asyncio import Redis

    from shared.platform.logs import quiet_logger

    broker = RedisBroker(url, logger=quiet_logger())
    client = Redis.from_url(url)
    await broker.connect()
    try:
        for start in range(0, n, 500):
            async with client.pipeline(transaction=False) as pipe:
                for _ in range(min(500, n - start)):
                    envelope = _sample_envelope()
                    await broker.publish(
                        json.dumps(envelope).encode(),
                        stream="waystation.intake",
                        # the headers intake's relay writes (readers keep a case's order by them)
                        headers={"event_type": "case.filed", "case_id": envelope["case_id"]},
                        pipeline=pipe,
                    )
                await pipe.execute()
    finally:
        await broker.stop()
        await client.aclose()
