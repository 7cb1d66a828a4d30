"""Redis stopped for ~10 s while people use the public endpoints: nobody gets a 500.

The short run (in `make test`) serves intake alone, the service whose routes touch Redis on
the request path (the rate limiter of the login, Open311's POSTs and the tracking answers),
with a rate-limit fallback of 4 s: during the outage the limits are first counted in memory
(answers as usual), then the limited routes answer 503 with Retry-After. `CHAOS_LONG=1` runs
all four services, three outages, and reads every service's endpoints.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis

from shared.messaging.reader import decode_entry
from tests.auth import OFFICER
from tests.chaos.conftest import LONG, RESULTS
from tests.chaos.faults import RedisProcess
from tests.chaos.workload import spot
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database
from tests.polling import eventually

pytestmark = [pytest.mark.chaos, pytest.mark.slow]

OUTAGE_SECONDS = 10.0
OUTAGES = 3 if LONG else 1
FALLBACK_SECONDS = 4


@dataclass
class Tally:
    """Every answer by (phase, route, status); Retry-After seen on every 503 or not."""

    answers: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    missing_retry_after: int = 0
    filed: list[str] = field(default_factory=list)
    phase: str = "before"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, response: httpx.Response) -> None:
        with self.lock:
            self.answers[(self.phase, route, response.status_code)] += 1
            if response.status_code == 503 and "retry-after" not in response.headers:
                self.missing_retry_after += 1

    def count(self, status: int, phase: str | None = None) -> int:
        with self.lock:
            return sum(
                n
                for (p, _r, s), n in self.answers.items()
                if s == status and (phase is None or p == phase)
            )


def _intake_requests(client: httpx.Client, n: int, tally: Tally) -> None:
    lat, lng = spot(n)
    hazard = {
        "category": "road_damage",
        "latitude": lat,
        "longitude": lng,
        "description": f"路面破损 #{n}",
        "reporter": {"name": "骑手", "email": f"outage-{n}@example.com"},
    }
    answer = client.post("/api/v1/hazards", json=hazard, headers=OFFICER)
    tally.add("POST /api/v1/hazards", answer)
    if answer.status_code == 201:
        with tally.lock:
            tally.filed.append(answer.json()["case_id"])
    tally.add(
        "POST /api/v1/auth/token",
        client.post("/api/v1/auth/token", data={"username": f"u{n % 7}", "password": "wrong"}),
    )
    tally.add(
        "POST /track/{code}/answer", client.post("/track/NOSUCH/answer", json={"fixed": True})
    )
    tally.add(
        "POST /open311/v2/requests.json",
        client.post("/open311/v2/requests.json", data={"api_key": "ws_nosuchkey"}),
    )
    tally.add("GET /open311/v2/services.json", client.get("/open311/v2/services.json"))


def _other_requests(system: System, client: httpx.Client, tally: Tally) -> None:
    for name, path in (
        ("dispatch", "/api/v1/triage"),
        ("mediation", "/api/v1/disputes"),
        ("notify", "/api/v1/inbox"),
    ):
        tally.add(f"GET {name} {path}", client.get(system.url(name) + path, headers=OFFICER))


def _load(system: System, tally: Tally, stop: threading.Event, rate: float) -> None:
    n = 0
    with httpx.Client(base_url=system.url("intake"), timeout=10) as client:
        while not stop.is_set():
            n += 1
            try:
                _intake_requests(client, n, tally)
                if LONG:
                    _other_requests(system, client, tally)
            except httpx.HTTPError as exc:  # no answer at all: counted, and must not happen
                with tally.lock:
                    tally.errors[type(exc).__name__] += 1
            time.sleep(1 / rate)


@pytest.fixture
def outage_system(
    tmp_path: Path, pg_admin_url: str, sinks: Sinks, chaos_redis: RedisProcess
) -> Iterator[System]:
    databases = {name: create_database(pg_admin_url) for name in SERVICES}
    (tmp_path / "system").mkdir(parents=True, exist_ok=True)
    system = System(tmp_path / "system", chaos_redis.url, databases, sinks)
    system.env["INTAKE_RATELIMIT_FALLBACK_SECONDS"] = str(FALLBACK_SECONDS)
    started = SERVICES if LONG else ("intake",)
    for name in started:
        system.start(name)
    try:
        for name in started:
            system.wait_ready(name)
        yield system
    finally:
        for name in started:
            system.stop(name)


def _ready(system: System) -> int:
    try:
        return httpx.get(f"{system.url('intake')}/readyz", timeout=5).status_code
    except httpx.HTTPError:
        return 0


def test_a_redis_outage_under_load_answers_no_500(outage_system: System, chaos_redis: RedisProcess):
    system, tally, stop = outage_system, Tally(), threading.Event()
    workers = [
        threading.Thread(target=_load, args=(system, tally, stop, 4.0), daemon=True)
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    readiness: list[tuple[str, int]] = []
    try:
        time.sleep(3)
        for outage in range(OUTAGES):
            tally.phase = f"outage-{outage + 1}"
            chaos_redis.kill()
            down_at = time.monotonic()
            while time.monotonic() - down_at < OUTAGE_SECONDS:
                readiness.append((tally.phase, _ready(system)))
                time.sleep(1)
            chaos_redis.start()
            tally.phase = f"after-{outage + 1}"
            eventually(lambda: _ready(system) == 200, timeout=30, interval=0.5)
            time.sleep(5)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)

    # Every filing acknowledged, including those during the outage, reaches intake's stream.
    client = redis.Redis.from_url(chaos_redis.url)

    def published() -> set[str]:
        cases = set()
        for entry_id, fields in client.xrange("waystation.intake"):
            body = json.loads(decode_entry(entry_id, fields)[1])
            if body.get("event_type") == "case.filed":
                cases.add(body["case_id"])
        return cases

    eventually(lambda: set(tally.filed) <= published(), timeout=60, interval=0.5)

    summary = {
        "scenario": "redis-outage",
        "outages": OUTAGES,
        "outage_seconds": OUTAGE_SECONDS,
        "ratelimit_fallback_seconds": FALLBACK_SECONDS,
        "answers": {f"{p} {r} {s}": n for (p, r, s), n in sorted(tally.answers.items())},
        "http_500": tally.count(500),
        "http_503": tally.count(503),
        "served_during_outages": sum(
            n
            for (p, _r, s), n in tally.answers.items()
            if p.startswith("outage") and s not in (500, 503)
        ),
        "no_answer": dict(tally.errors),
        "readiness_during_outages": Counter(s for _p, s in readiness),
        "filed": len(tally.filed),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "redis-outage.json").write_text(json.dumps(summary, indent=1, default=dict))
    print(json.dumps(summary, ensure_ascii=False, default=dict))  # noqa: T201

    assert tally.count(500) == 0, summary
    assert not tally.errors, summary
    assert tally.missing_retry_after == 0
    assert sum(tally.answers.values()) > 100
    # The limiter served from memory first, then refused with 503 once its fallback ran out.
    assert summary["served_during_outages"] > 0
    assert tally.count(503, "outage-1") > 0
    # Readiness said so while Redis was away.
    assert {s for _p, s in readiness} == {503}
    assert tally.count(201, f"after-{OUTAGES}") > 0
