"""Partitioned streams against a real Redis and real databases: with N = 4 each case keeps its
order and every event has exactly one effect across two replicas; changing N from 1 to 4 after
draining loses nothing, rows committed before the switch included. The N = 4 scenarios run on
one Redis node and on a local 3-master Redis Cluster (`partitioned_redis`)."""

from __future__ import annotations

import asyncio
import uuid

import orjson
import pytest
import sqlalchemy as sa
from faststream.redis.parser.binary import BinaryMessageFormatV1
from redis.crc import key_slot
from typer.testing import CliRunner, Result

from shared.contracts.envelope import Envelope
from shared.messaging.dead_letters import list_dead_letters
from shared.messaging.errors import PermanentError
from shared.messaging.partitions import (
    dead_letter_index,
    dead_letter_stream,
    partition_of,
    stream_for_case,
    streams_of,
)
from shared.messaging.uow import UnitOfWork
from tests.integration.kit_harness import KitService, filed_event, ledger
from tests.polling import eventually_async
from waystation.cli import app
from waystation.drain import stream_backlogs
from waystation.operations import replay_dead_letter

pytestmark = pytest.mark.integration


async def _record(envelope: Envelope, uow: UnitOfWork) -> None:
    note = f"{envelope.case_id}:{envelope.sequence}"
    await uow.session.execute(sa.insert(ledger).values(event_id=envelope.event_id, note=note))


@pytest.fixture(params=["one node", "cluster"])
def partitioned_redis(request: pytest.FixtureRequest) -> str:
    """The session's Redis, or its Redis Cluster (`redis+cluster://`), emptied."""
    name = "redis_url" if request.param == "one node" else "redis_cluster_url"
    return str(request.getfixturevalue(name))


def _kit(database_url: str, redis_url: str, partitions: int) -> KitService:
    return KitService(
        database_url,
        redis_url,
        handler=_record,
        partitions=partitions,
        retry_pauses=(0.02,) * 100,
        read_batch=5,
        reclaim_idle_ms=2000,
    )


async def _effects(kit: KitService) -> list[tuple[uuid.UUID, str]]:
    async with kit.engine.connect() as conn:
        rows = await conn.execute(sa.select(ledger.c.event_id, ledger.c.note).order_by(ledger.c.id))
        return [(r.event_id, r.note) for r in rows]


async def _emit_rounds(kit: KitService, cases: list[uuid.UUID], rounds: int) -> list[Envelope]:
    """`rounds` commits, each one event of every case: a case's events span many batches."""
    emitted = []
    for _ in range(rounds):
        async with kit.uow() as uow:
            for case_id in cases:
                uow.emit(filed_event(case_id))
            await uow.commit()
            emitted += uow.committed_events
    return emitted


def _per_case(effects: list[tuple[uuid.UUID, str]]) -> dict[str, list[int]]:
    order: dict[str, list[int]] = {}
    for _event, note in effects:
        case, _colon, seq = note.partition(":")
        order.setdefault(case, []).append(int(seq))
    return order


async def _cases_by_partition(kit: KitService, partitions: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for stream in streams_of("intake", partitions):
        for _id, fields in await kit.redis.xrange(stream):
            body, _headers = BinaryMessageFormatV1.parse(fields[b"__data__"])
            found.setdefault(stream, set()).add(orjson.loads(body)["case_id"])
    return found


async def test_four_partitions_keep_each_cases_order_with_one_effect_per_event(
    database_url: str, partitioned_redis: str
):
    redis_url = partitioned_redis
    replicas = [_kit(database_url, redis_url, 4) for _ in range(2)]
    await replicas[0].create_schema()
    relay: asyncio.Task[None] | None = None
    try:
        for replica in replicas:
            await replica.start_consuming()
        await replicas[0].broker.connect()
        relay = asyncio.create_task(replicas[0].relay.run())
        cases = [uuid.uuid4() for _ in range(12)]
        emitted = await _emit_rounds(replicas[0], cases, 5)

        async def all_applied() -> bool:
            return len(await _effects(replicas[0])) >= len(emitted)

        await eventually_async(all_applied, timeout=60)
        effects = await _effects(replicas[0])
        assert sorted(e for e, _n in effects) == sorted(e.event_id for e in emitted)
        assert _per_case(effects) == {str(c): [1, 2, 3, 4, 5] for c in cases}
        # each case on its own partition only, and the cases spread over the partitions
        by_partition = await _cases_by_partition(replicas[0], 4)
        for stream, found in by_partition.items():
            assert {partition_of(c, 4) for c in found} == {streams_of("intake", 4).index(stream)}
        assert len(by_partition) > 1
        assert sum(len(v) for v in by_partition.values()) == len(cases)
        assert not await replicas[0].redis.exists("waystation.intake")  # N=1's stream unused
        await eventually_async(lambda: _drained(replicas[0], [4]), timeout=30)
    finally:
        if relay is not None:
            relay.cancel()
            await asyncio.gather(relay, return_exceptions=True)
        for replica in replicas:
            await replica.close()


async def _drained(kit: KitService, partitions: list[int]) -> bool:
    # The kit's service has one consumer, mediation's group; the topology's others are unread.
    return not await stream_backlogs(kit.redis, partitions, groups={"mediation"})


async def test_drain_then_switch_from_one_to_four_partitions_loses_nothing(
    database_url: str, redis_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("REDIS_URL", redis_url)
    runner = CliRunner()
    cases = [uuid.uuid4() for _ in range(8)]
    before = _kit(database_url, redis_url, 1)
    await before.create_schema()
    drain = ["drained", "--no-outboxes", "--group", "mediation"]
    drain += ["--partitions", "1", "--partitions", "4"]

    async def command() -> Result:  # the CLI runs its own event loop: in a thread
        return await asyncio.to_thread(runner.invoke, app, drain)

    try:
        await before.broker.connect()
        published = await _emit_rounds(before, cases, 2)
        assert await before.relay.relay_once() == len(published)
        # published, not read yet: not drained (the command says so and exits 1)
        undrained = await command()
        assert undrained.exit_code == 1, undrained.output
        assert "not drained" in undrained.output and "waystation.intake" in undrained.output
        await before.start_consuming()

        async def applied_before() -> bool:
            return len(await _effects(before)) == len(published)

        await eventually_async(applied_before, timeout=30)
        await eventually_async(lambda: _drained(before, [1, 4]), timeout=30)
        # committed before the switch, never published by the N=1 relay
        committed = await _emit_rounds(before, cases, 2)
    finally:
        await before.close()
    done = await command()
    assert done.exit_code == 0, done.output  # the old streams hold nothing: switch now

    after = _kit(database_url, redis_url, 4)
    try:
        await after.start_consuming()
        await after.broker.connect()
        assert await after.relay.relay_once() == len(committed)  # to the partitions, at once
        later = await _emit_rounds(after, cases, 1)
        assert await after.relay.relay_once() == len(later)

        async def all_applied() -> bool:
            return len(await _effects(after)) >= len(published) + len(committed) + len(later)

        await eventually_async(all_applied, timeout=60)
        effects = await _effects(after)
        every = published + committed + later
        assert sorted(e for e, _n in effects) == sorted(e.event_id for e in every)
        assert _per_case(effects) == {str(c): [1, 2, 3, 4, 5] for c in cases}
        assert await after.redis.xlen("waystation.intake") == len(published)
        by_partition = await _cases_by_partition(after, 4)
        assert sum(len(v) for v in by_partition.values()) == len(cases)
        await eventually_async(lambda: _drained(after, [1, 4]), timeout=30)
        assert (await command()).exit_code == 0
    finally:
        await after.close()


async def test_dead_letters_stay_in_their_partitions_slot_and_replay_to_the_cases_partition(
    database_url: str, partitioned_redis: str, monkeypatch: pytest.MonkeyPatch
):
    redis_url = partitioned_redis
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("STREAM_PARTITIONS", "4")
    monkeypatch.setenv("COLUMNS", "250")
    refuse = {"on": True}

    async def picky(envelope: Envelope, uow: UnitOfWork) -> None:
        if refuse["on"]:
            raise PermanentError("refused for the test")
        await _record(envelope, uow)

    kit = KitService(database_url, redis_url, handler=picky, partitions=4, read_batch=5)
    await kit.create_schema()
    try:
        await kit.start_consuming()
        await kit.broker.connect()
        [event] = await kit.emit_committed(1)
        assert await kit.relay.relay_once() == 1
        stream = stream_for_case("waystation.intake", event.case_id, 4)
        poison_home = next(s for s in streams_of("intake", 4) if s != stream)
        await kit.redis.xadd(poison_home, {"__data__": b"not an envelope"})

        async def both_dead() -> bool:
            return bool(
                await kit.redis.xlen(dead_letter_stream(stream))
                and await kit.redis.xlen(dead_letter_stream(poison_home))
            )

        await eventually_async(both_dead, timeout=30)
        keys = [stream, dead_letter_stream(stream), dead_letter_index(stream)]
        assert await kit.redis.exists(*keys) == 3
        assert len({key_slot(k.encode()) for k in keys}) == 1
        wide = {"COLUMNS": "240"}  # the table is read whole, not cut to a worker's 80 columns
        listed = await asyncio.to_thread(CliRunner().invoke, app, ["dlq", "list"], env=wide)
        assert listed.exit_code == 0, listed.output
        assert stream in listed.output and poison_home in listed.output

        [letter] = await list_dead_letters(kit.redis, stream)
        refuse["on"] = False
        said = await replay_dead_letter(redis_url, stream, letter.dlq_id)
        assert said.endswith(f"on {stream}"), said

        async def applied() -> bool:
            return [e for e, _n in await _effects(kit)] == [event.event_id]

        await eventually_async(applied, timeout=30)
        assert await list_dead_letters(kit.redis, stream) == []
        assert not await kit.redis.hlen(dead_letter_index(stream))
    finally:
        await kit.close()
