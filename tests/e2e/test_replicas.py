"""Two replicas of each of the four services at once (eight processes) on PostgreSQL and a Redis
with four stream partitions (#22): tickets filed across the replicas, the training clock moved
so every kind of timer falls due, then per-case order, one effect per event, one relay per
database at a time, each timer firing once and each notice sent once."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from faststream.redis.parser.binary import BinaryMessageFormatV1

from shared.contracts.streams import SUBSCRIPTIONS
from shared.messaging.partitions import stream_for_case, streams_of
from tests.auth import OFFICER, auth_headers
from tests.e2e.harness import SERVICES, Sinks, System
from tests.e2e.systems import Replicas
from tests.e2e.test_flows import _dispute, _hazard, _state_is
from tests.infra import create_database, private_redis
from tests.polling import eventually
from waystation.drain import backlogs

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PARTITIONS = 4
HAZARDS, DISPUTES = 18, 6
CLOCK = "/api/v1/admin/clock"
# Events a timer produces, and what makes one firing different from another of the same case.
TIMED = {
    "hazard.target_warning": ("target", "due_at"),
    "hazard.escalated": ("target", "level", "due_at"),
    "deadline.warning": ("clock", "days_left", "due_on"),
    "deadline.expired": ("clock", "due_on"),
}


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str, sinks: Sinks
) -> Iterator[Replicas]:
    folder: Path = tmp_path_factory.mktemp("system-replicas")
    databases = {name: create_database(pg_admin_url) for name in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        sut.env["STREAM_PARTITIONS"] = str(PARTITIONS)
        sut.env["WAYSTATION_TRAINING_CLOCK"] = "true"
        sut.env["DISPATCH_TIMER_POLL_INTERVAL"] = "0.5"
        sut.env["MEDIATION_TIMER_POLL_INTERVAL"] = "0.5"
        # Notify leases a delivery on its (training) clock: a replica still on the old time
        # would lease for a moment that the moved one has long passed, and both would send.
        # Notify follows a move within 0.1 s, before the timers it causes fire elsewhere.
        sut.env["NOTIFY_TRAINING_CLOCK_SYNC_SECONDS"] = "0.1"
        for name in ("intake", "mediation", "dispatch"):
            sut.env[f"{name.upper()}_TRAINING_CLOCK_SYNC_SECONDS"] = "0.3"
        sut.databases = databases  # type: ignore[attr-defined]
        group = Replicas(sut)
        try:
            group.start()
            yield group
        finally:
            group.stop()


def _rows(database_url: str, query: str) -> list[tuple[Any, ...]]:
    conninfo = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    with psycopg.connect(conninfo) as conn:
        return list(conn.execute(query).fetchall())


def _entries(client: redis.Redis, producer: str) -> list[tuple[str, dict[str, Any]]]:
    """(partition, envelope) of every entry on every partition of a producer's stream."""
    found = []
    for stream in streams_of(producer, PARTITIONS):
        for _id, fields in client.xrange(stream):
            body, _headers = BinaryMessageFormatV1.parse(fields[b"__data__"])
            found.append((stream, json.loads(body)))
    return found


def _settled(group: Replicas) -> bool:
    """Nothing waits anywhere: streams read and acknowledged, outboxes published, no delivery
    queued, no timer due on the moved clock left unfired."""
    sut = group.system
    dbs: dict[str, str] = sut.databases  # type: ignore[attr-defined]
    if asyncio.run(backlogs(sut.redis_url, [PARTITIONS], dbs)):
        return False
    if _rows(dbs["notify"], "SELECT 1 FROM delivery WHERE status = 'queued' LIMIT 1"):
        return False
    now = datetime.now(UTC) + group.offset  # type: ignore[attr-defined]
    for name in ("dispatch", "mediation"):
        due = _rows(
            dbs[name],
            "SELECT 1 FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL "
            f"AND due_at <= '{now.isoformat()}' LIMIT 1",
        )
        if due:
            return False
    return True


def _move_clock(group: Replicas, days: int) -> None:
    admin = auth_headers("admin", "admin-1")
    answer = httpx.post(
        f"{group.url('intake', 0)}{CLOCK}/advance", json={"days": days}, headers=admin, timeout=10
    )
    answer.raise_for_status()
    wanted = answer.json()["offset_seconds"]
    group.offset = timedelta(seconds=wanted)  # type: ignore[attr-defined]

    def followed() -> bool:
        return all(
            httpx.get(f"{group.system.url(key)}{CLOCK}", headers=admin, timeout=5).json()[
                "offset_seconds"
            ]
            >= wanted
            for key in group.names
        )

    eventually(followed, 30)


def test_eight_processes_on_four_partitions_keep_order_and_do_everything_once(
    replicas: Replicas, sinks: Sinks
):
    group, sut = replicas, replicas.system
    dbs: dict[str, str] = sut.databases  # type: ignore[attr-defined]

    def file(i: int) -> tuple[str, str]:
        """Ticket i through intake replica i % 2: a hazard on a grid of spots ~350 m apart
        (none merges into another), then disputes."""
        if i < HAZARDS:
            kind, body = "hazards", _hazard(f"r{i}-{uuid.uuid4().hex[:6]}@example.com", i % 6)
            body["longitude"] += 0.0035 * (i // 6)
        else:
            kind, body = "disputes", _dispute(f"d{i}-{uuid.uuid4().hex[:6]}@example.com")
        url = f"{group.url('intake', i)}/api/v1/{kind}"
        filed = httpx.post(url, json=body, headers=OFFICER, timeout=30)
        assert filed.status_code == 201, filed.text
        return kind, filed.json()["case_id"]

    with ThreadPoolExecutor(6) as pool:
        tickets = list(pool.map(file, range(HAZARDS + DISPUTES)))
    hazards = [case for kind, case in tickets if kind == "hazards"]
    disputes = [case for kind, case in tickets if kind == "disputes"]

    def dispatched() -> bool:
        return all(
            httpx.get(
                f"{group.url('dispatch', i)}/api/v1/hazards/{case}", headers=OFFICER, timeout=10
            )
            .json()
            .get("state")
            == "dispatched"
            for i, case in enumerate(hazards)
        )

    eventually(dispatched, 60)
    committee = auth_headers("committee", "chair")

    def accept(i: int) -> None:
        url = f"{group.url('mediation', i)}/api/v1/disputes/{disputes[i]}"
        eventually(_state_is(url, "state", "acceptance_review"))
        accepted = httpx.post(f"{url}/accept", headers=committee, timeout=30)
        assert accepted.status_code == 200, accepted.text

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(accept, range(DISPUTES)))
    # Every kind of timer falls due: targets' warnings and escalations, J5's warnings, expiry.
    group.offset = timedelta(0)  # type: ignore[attr-defined]
    eventually(lambda: _settled(group), 60, interval=0.5)  # nothing in flight when it moves
    _move_clock(group, 20)
    eventually(lambda: _settled(group), 60, interval=0.5)
    assert all(sut.procs[key].poll() is None for key in group.names)

    client = redis.Redis.from_url(sut.redis_url)
    outboxes: dict[str, dict[str, tuple[str, int]]] = {}
    for producer in SERVICES:
        rows = _rows(dbs[producer], "SELECT event_id, case_id, body, published_at FROM outbox")
        assert all(published for _e, _c, _b, published in rows)
        outboxes[producer] = {
            str(e): (str(c), int(json.loads(b)["sequence"])) for e, c, b, _p in rows
        }
        # One relay at a time per database: every row on its case's partition exactly once
        # (two relays at once would both publish the same unpublished rows), in case order.
        entries = _entries(client, producer)
        assert Counter(env["event_id"] for _s, env in entries) == Counter(list(outboxes[producer]))
        per_case: dict[str, list[int]] = {}
        for stream, env in entries:
            assert stream == stream_for_case(f"waystation.{producer}", env["case_id"], PARTITIONS)
            per_case.setdefault(env["case_id"], []).append(env["sequence"])
        assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in per_case.values())
        used = {stream for stream, _env in entries}
        assert producer == "notify" or len(used) > 1, used  # the cases spread out
        assert not client.exists(f"waystation.{producer}")  # N=1's stream stays unused

    for consumer, producers in SUBSCRIPTIONS.items():
        applied = {
            (p, str(c)): int(s)
            for p, c, s in _rows(
                dbs[consumer], "SELECT producer, case_id, last_seq FROM applied_sequence"
            )
        }
        processed = _rows(dbs[consumer], "SELECT event_id, processed_at FROM processed_event")
        for producer in producers:
            # every event of every case applied, none skipped (a consumer's position per case)
            last: dict[str, int] = {}
            for case, seq in outboxes[producer].values():
                last[case] = max(last.get(case, 0), seq)
            assert {case: applied.get((producer, case)) for case in last} == last, (
                consumer,
                producer,
            )
            # each case's events applied in their order (one commit may apply several)
            order: dict[str, list[tuple[datetime, int]]] = {}
            for event_id, at in processed:
                if str(event_id) in outboxes[producer]:
                    case, seq = outboxes[producer][str(event_id)]
                    order.setdefault(case, []).append((at, seq))
            for case, seen in order.items():
                by_time = [seq for _at, seq in sorted(seen)]
                assert by_time == sorted(by_time), (consumer, producer, case)
        # both replicas of the service read from its groups
        readers = {
            c["name"].decode().removesuffix("-reclaim")
            for producer in producers
            for stream in streams_of(producer, PARTITIONS)
            for c in client.xinfo_consumers(stream, consumer)
        }
        assert len(readers) >= 2, (consumer, readers)

    # Each timer fired once: no timer event twice, and every kind fired.
    fired = Counter()
    for producer in ("dispatch", "mediation"):
        for body in (json.loads(b) for (b,) in _rows(dbs[producer], "SELECT body FROM outbox")):
            if (fields := TIMED.get(body["event_type"])) is not None:
                payload = body["payload"]
                fired[(body["case_id"], body["event_type"], *(payload[f] for f in fields))] += 1
    assert fired and max(fired.values()) == 1, fired.most_common(3)
    assert {kind for _case, kind, *_rest in fired} == set(TIMED)
    expired = {case for case, kind, *_rest in fired if kind == "deadline.expired"}
    assert expired == set(disputes)

    # Each notice sent once: every delivery key once at the receivers, and each sent one there.
    with sinks.lock:
        mail_keys = Counter(m.key for m in sinks.mails if m.key)
        hook_keys = Counter(h.key for h in sinks.hooks if h.key)
    sent = _rows(
        dbs["notify"], "SELECT idempotency_key, channel FROM delivery WHERE status = 'sent'"
    )
    twice = [(key, n) for key, n in (mail_keys + hook_keys).items() if n > 1]
    assert not twice, twice[:5]
    assert {k for k, ch in sent if ch == "email"} <= set(mail_keys)
    assert {k for k, ch in sent if ch == "webhook"} <= set(hook_keys)
    assert sum(ch == "webhook" for _k, ch in sent) > HAZARDS  # departments were told
