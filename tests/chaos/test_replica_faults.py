"""The kill loop on the scaled-out topology (#22): two replicas of each of the four services
(eight processes) on PostgreSQL and a Redis with four stream partitions; one replica at a time
SIGKILLed and started again while tickets are filed through both intake replicas."""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.notify.config import NotifySettings
from tests.chaos.conftest import LOAD_SECONDS, RATE, RESULTS
from tests.chaos.faults import RedisProcess
from tests.chaos.workload import Workload, judge
from tests.e2e.harness import SERVICES, Sinks, System
from tests.e2e.systems import Replicas
from tests.infra import create_database

pytestmark = [pytest.mark.chaos, pytest.mark.slow]
PARTITIONS = 4
SEND_CONCURRENCY = NotifySettings.model_fields["send_concurrency"].default


@pytest.fixture
def replicas(
    tmp_path: Path, pg_admin_url: str, chaos_redis: RedisProcess, sinks: Sinks
) -> Iterator[Replicas]:
    databases = {name: create_database(pg_admin_url) for name in SERVICES}
    system = System(tmp_path, chaos_redis.url, databases, sinks)
    system.env["STREAM_PARTITIONS"] = str(PARTITIONS)
    group = Replicas(system)
    try:
        group.start()
        yield group
    finally:
        group.stop()


def test_kill_loop_on_two_replicas_and_four_partitions_loses_nothing(
    replicas: Replicas, sinks: Sinks
):
    group, system = replicas, replicas.system
    load = Workload(group.url("intake", 0), RATE, more_intake_urls=(group.url("intake", 1),))
    started = time.monotonic()
    thread = load.start(LOAD_SECONDS)
    rng, kills = random.Random(22), Counter[str]()
    while thread.is_alive():
        time.sleep(rng.uniform(1, 3))
        # A notify replica every other kill: its repeats per kill are what the allowance counts.
        if sum(kills.values()) % 2 == 0:
            victim = f"notify-{rng.choice((1, 2))}"
        else:
            victim = rng.choice(group.names)
        system.stop(victim, signal.SIGKILL)
        kills[victim] += 1
        group.launch(victim)
    for key in group.names:
        system.wait_ready(key)
    notify_kills = sum(n for key, n in kills.items() if key.startswith("notify-"))
    faults = {"sigkill": sum(kills.values()), "notify_sigkill": notify_kills}
    verdict = judge(
        "kill-loop-replicas", load, system, sinks, faults, started, restart=group.launch
    )
    verdict.save(RESULTS)
    print(verdict.line())  # noqa: T201
    assert verdict.valid, verdict.line()
    assert verdict.effect_duplicates == 0, verdict.line()
    assert verdict.dead_letters == 0 and verdict.pending == 0, verdict.line()
    assert verdict.acked > 0 and notify_kills > 0
    # As on one process per service: only the sends in flight in the killed notify replica go
    # again, at most its worker's concurrency per kill.
    assert verdict.duplicated <= notify_kills * SEND_CONCURRENCY, verdict.line()
    assert verdict.mail_repeats_under_new_message_id == 0, verdict.line()
