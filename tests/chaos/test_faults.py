"""Kill, restart and cut every part while tickets flow; nothing acknowledged may be lost.

Short runs in `make test`; `make chaos` (CHAOS_LONG=1) runs the long versions.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter

import httpx
import pytest
import redis

from services.notify.config import NotifySettings
from tests.auth import OFFICER
from tests.chaos.conftest import LOAD_SECONDS, RATE, RESULTS, SystemFactory
from tests.chaos.faults import FaultProxy, PrivatePostgres, RedisProcess
from tests.chaos.workload import Workload, judge
from tests.e2e.harness import SERVICES, Sinks

pytestmark = [pytest.mark.chaos, pytest.mark.slow]
SEND_CONCURRENCY = NotifySettings.model_fields["send_concurrency"].default


def _report(verdict) -> None:  # type: ignore[no-untyped-def]
    verdict.save(RESULTS)
    print(verdict.line())  # noqa: T201


def test_kill_loop_loses_nothing(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks
):
    system = make_system(chaos_redis.url)
    load = Workload(system.url("intake"), RATE)
    started = time.monotonic()
    thread = load.start(LOAD_SECONDS)
    rng, kills = random.Random(11), Counter[str]()
    while thread.is_alive():
        time.sleep(rng.uniform(1, 3))
        # Notify every other kill: its repeats per kill are what this run measures.
        victim = "notify" if sum(kills.values()) % 2 == 0 else rng.choice(SERVICES)
        system.stop(victim, signal.SIGKILL)
        kills[victim] += 1
        system.start(victim)
    for name in SERVICES:
        system.wait_ready(name)
    faults = {"sigkill": sum(kills.values()), "notify_sigkill": kills["notify"]}
    verdict = judge("kill-loop", load, system, sinks, faults, started)
    _report(verdict)
    assert verdict.valid, verdict.line()
    assert verdict.effect_duplicates == 0
    assert verdict.dead_letters == 0 and verdict.pending == 0
    assert verdict.acked > 0 and kills["notify"] > 0
    # Only a send in flight when notify dies goes again (each holds its own lease only, and
    # its outcome is recorded as soon as it returns): at most the worker's concurrency per
    # kill, and ≤ 1 per kill on average is the target (docs/reliability.md).
    assert verdict.duplicated <= kills["notify"] * SEND_CONCURRENCY, verdict.line()
    assert verdict.mail_repeats_under_new_message_id == 0, verdict.line()


def _redis_kill_run(
    make_system: SystemFactory,
    server: RedisProcess,
    sinks: Sinks,
    scenario: str,
    quiet_after: float | None = None,
):
    """Stop dispatch so its input waits in Redis, kill Redis, restart it, resume dispatch."""
    system = make_system(server.url)
    load = Workload(system.url("intake"), RATE)
    started = time.monotonic()
    system.procs["dispatch"].send_signal(signal.SIGSTOP)
    load.run(LOAD_SECONDS / 2)
    server.kill()
    server.start()
    system.procs["dispatch"].send_signal(signal.SIGCONT)
    load.run(LOAD_SECONDS / 2)
    for name in SERVICES:  # a service that lost its group restarts itself; bring it back
        if system.procs[name].poll() is not None:
            system.start(name)
    for name in SERVICES:
        system.wait_ready(name)
    faults = {"redis_kill": 1}
    return judge(scenario, load, system, sinks, faults, started, settle=60, quiet_after=quiet_after)


def test_redis_killed_and_restarted_on_its_aof_loses_nothing(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks
):
    verdict = _redis_kill_run(make_system, chaos_redis, sinks, "redis-kill-aof")
    _report(verdict)
    assert verdict.valid, verdict.line()
    assert verdict.effect_duplicates == 0 and verdict.dead_letters == 0


def test_negative_control_redis_without_persistence_shows_loss(
    make_system: SystemFactory, tmp_path, sinks: Sinks
):
    server = RedisProcess(tmp_path / "volatile-redis", aof=False)
    server.start()
    try:
        # The lost tickets never complete: stop once nothing has moved for 15 s, drained.
        verdict = _redis_kill_run(
            make_system, server, sinks, "redis-kill-no-persistence", quiet_after=15
        )
    finally:
        server.kill()
    _report(verdict)
    assert verdict.lost, "the checker must see the loss a volatile Redis causes"


def test_database_restart_loses_nothing(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks, tmp_path
):
    postgres = PrivatePostgres()
    postgres.init()
    try:
        system = make_system(chaos_redis.url, postgres.admin_url)
        load = Workload(system.url("intake"), RATE)
        started = time.monotonic()
        thread = load.start(LOAD_SECONDS)
        time.sleep(LOAD_SECONDS / 3)
        postgres.restart()
        thread.join()
        verdict = judge("database-restart", load, system, sinks, {"pg_restart": 1}, started)
        assert system.alive(), "a service died with the database restart"
    finally:
        postgres.stop()
    _report(verdict)
    assert verdict.valid, verdict.line()
    assert verdict.effect_duplicates == 0 and verdict.dead_letters == 0


def test_network_cuts_between_services_and_redis_lose_nothing(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks
):
    proxy = FaultProxy(chaos_redis.port)
    proxy.start()
    system = make_system(f"redis://127.0.0.1:{proxy.port}/0")
    load = Workload(system.url("intake"), RATE)
    started = time.monotonic()
    thread = load.start(LOAD_SECONDS)
    for _ in range(2):
        time.sleep(LOAD_SECONDS / 3)
        proxy.cut(3.0)
    thread.join()
    verdict = judge("network-cut", load, system, sinks, {"cuts": proxy.cuts}, started)
    _report(verdict)
    assert system.alive()
    assert verdict.valid, verdict.line()
    assert verdict.effect_duplicates == 0 and verdict.dead_letters == 0


def test_a_poison_event_is_dead_lettered_and_the_rest_flow(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks
):
    system = make_system(chaos_redis.url)
    client = redis.Redis.from_url(chaos_redis.url)
    load = Workload(system.url("intake"), RATE)
    started = time.monotonic()
    thread = load.start(LOAD_SECONDS / 2)
    time.sleep(1)
    client.xadd("waystation.intake", {"__data__": b'{"event_type": "case.filed"}'})
    thread.join()
    verdict = judge("poison-event", load, system, sinks, {"poison": 1}, started)
    _report(verdict)
    assert verdict.valid, verdict.line()
    letters = client.xrange("waystation.intake.dlq")
    assert {f[b"group"] for _id, f in letters} == {b"mediation", b"dispatch", b"notify"}
    assert all(int(f[b"deliveries"]) <= 5 for _id, f in letters)
    alerts = client.xrange("waystation.alerts")
    assert sum(f[b"kind"] == b"dead_letter" for _id, f in alerts) == 3


def test_a_receiver_outage_is_retried_with_backoff_until_delivered(
    make_system: SystemFactory, chaos_redis: RedisProcess, sinks: Sinks
):
    system = make_system(chaos_redis.url)
    sinks.fail_hooks_with = 503
    load = Workload(system.url("intake"), RATE)
    started = time.monotonic()
    load.run(3)
    time.sleep(7)  # the receiver stays down for ~10 s in all (the outage being tested)
    sinks.fail_hooks_with = None
    verdict = judge("receiver-outage", load, system, sinks, {"outage_s": 10}, started)
    _report(verdict)
    assert verdict.valid, verdict.line()
    first = next(iter(load.acked.values()))
    deliveries = httpx.get(
        f"{system.url('notify')}/api/v1/cases/{first}/deliveries", headers=OFFICER
    ).json()
    webhook = next(d for d in deliveries if d["channel"] == "webhook")
    assert webhook["status"] == "sent" and webhook["attempts"] > 1
    assert verdict.dead_letters == 0 and verdict.pending == 0, verdict.line()
