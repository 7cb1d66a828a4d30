"""The kit on a real local Redis Cluster (three masters, tests/cluster.py).

A script or MULTI whose keys lie in different slots is refused on a cluster (by redis-py's
cluster client before it is sent, else CROSSSLOT), so each call below is its own proof: the
dead-letter script and the replay's MULTI on every partition of every stream, the rate
limiter's script, the training clock, the groups, consumer pruning and the metrics. The legacy
names of N = 1 do fail there, which is why a cluster with N = 1 is refused before anything
starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from faststream.redis import RedisClusterBroker
from redis.asyncio.cluster import RedisCluster
from redis.crc import key_slot
from redis.exceptions import RedisClusterException, ResponseError

from services.intake.entrypoints.ratelimit import Limit, RateLimiter
from shared.contracts.envelope import Envelope
from shared.contracts.streams import SERVICES
from shared.messaging.dead_letters import dead_letter, forget_dead_letter, list_dead_letters
from shared.messaging.groups import ensure_groups, prune_consumers
from shared.messaging.partitions import (
    dead_letter_index,
    dead_letter_stream,
    group_pairs,
    stream_for_case,
    streams_of,
    streams_read_by,
)
from shared.messaging.redis_client import RedisUrlError, make_redis
from shared.messaging.tables import kit_tables
from shared.messaging.uow import UnitOfWork
from shared.platform.metrics import ServiceMetrics
from shared.platform.runtime import ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.training_clock import TrainingClock, advance
from tests.integration.kit_harness import KitService
from tests.polling import eventually_async

pytestmark = pytest.mark.integration
N = 4


async def test_every_partitions_dead_letter_script_and_replay_transaction_run_on_a_cluster(
    redis_cluster_url: str,
) -> None:
    redis = make_redis(redis_cluster_url)
    assert isinstance(redis, RedisCluster)
    try:
        streams = [s for service in SERVICES for s in streams_of(service, N)]
        slots = set()
        for stream in streams:
            written = await dead_letter(
                redis,
                stream=stream,
                group="g",
                entry_id="1-0",
                deliveries=3,
                error="boom",
                body=b"{}",
                headers={},
            )
            again = await dead_letter(  # the index holds it: written once
                redis,
                stream=stream,
                group="g",
                entry_id="1-0",
                deliveries=4,
                error="boom",
                body=b"{}",
                headers={},
            )
            assert again == written
            [letter] = await list_dead_letters(redis, stream)
            await forget_dead_letter(redis, stream, letter.dlq_id, "g", "1-0")
            assert await redis.xlen(dead_letter_stream(stream)) == 0
            assert await redis.hlen(dead_letter_index(stream)) == 0
            slots.add(key_slot(stream.encode()))
        # the partitions' slots are spread over the three masters' shards
        owners = {redis.nodes_manager.get_node_from_slot(slot).name for slot in slots}
        assert len(owners) == 3
        legacy = "waystation.intake"  # N = 1: the script's keys cross slots, refused
        with pytest.raises((RedisClusterException, ResponseError), match="same key slot|CROSSSLOT"):
            await dead_letter(
                redis,
                stream=legacy,
                group="g",
                entry_id="1-0",
                deliveries=1,
                error="x",
                body=b"",
                headers={},
            )
    finally:
        await redis.aclose()


async def test_groups_pruning_metrics_rate_limits_and_the_training_clock_on_a_cluster(
    redis_cluster_url: str,
) -> None:
    redis = make_redis(redis_cluster_url)
    try:
        await ensure_groups(redis, group_pairs(N))
        await ensure_groups(redis, group_pairs(N))  # an existing group is kept
        for stream, group in group_pairs(N):
            assert group.encode() in {g["name"] for g in await redis.xinfo_groups(stream)}
        [(_producer, stream), *_rest] = streams_read_by("mediation", N)
        await redis.xgroup_createconsumer(stream, "mediation", "gone")
        assert await prune_consumers(redis, [(stream, "mediation")], idle_ms=-1) == 1

        await redis.xadd(stream, {"x": "1"})
        metrics = ServiceMetrics("mediation", N)
        await metrics.refresh_streams(redis)
        assert f'waystation_consumer_lag{{group="mediation",stream="{stream}"}} 1.0' in (
            metrics.render().decode()
        )

        limiter = RateLimiter(redis, "test")
        limit = Limit(requests=2, seconds=60)
        assert [await limiter.hit("b", "k", limit) for _ in range(3)][:2] == [0, 0]
        assert await limiter.hit("b", "k", limit) > 0
        assert not limiter.degraded

        assert await advance(redis, timedelta(days=2)) == timedelta(days=2)
        clock = TrainingClock()
        assert await clock.sync(redis) == timedelta(days=2)
    finally:
        await redis.aclose()


def test_a_service_on_a_cluster_with_one_partition_does_not_start(
    redis_cluster_url: str, tmp_path: Path
) -> None:
    settings = ServiceSettings(redis_url=redis_cluster_url, stream_partitions=N)
    settings.stream_partitions = 1  # past the settings' own check: the runtime refuses too
    with pytest.raises(RedisUrlError, match="STREAM_PARTITIONS >= 2"):
        ServiceRuntime(settings, kit_tables(sa.MetaData()), {}, tmp_path)


async def test_an_event_that_keeps_failing_is_reclaimed_then_dead_lettered_on_a_cluster(
    redis_cluster_url: str, new_sqlite_database: Callable[[], str]
) -> None:
    """FastStream's cluster broker runs the reclaimers (XAUTOCLAIM per partition); the
    reader, the relay's publishing and the dead-letter script run on the cluster client."""
    attempts: list[str] = []

    async def always_fails(envelope: Envelope, uow: UnitOfWork) -> None:
        attempts.append(str(envelope.event_id))
        raise RuntimeError("downstream is broken")

    kit = KitService(
        new_sqlite_database(),
        redis_cluster_url,
        reclaim_idle_ms=100,
        max_deliveries=3,
        handler=always_fails,
        partitions=N,
    )
    assert isinstance(kit.broker, RedisClusterBroker)
    await kit.create_schema()
    try:
        await kit.start_consuming()
        [event] = await kit.emit_committed(1)
        assert await kit.relay.relay_once() == 1
        stream = stream_for_case("waystation.intake", event.case_id, N)

        async def dead_lettered() -> bool:
            return len(await list_dead_letters(kit.redis, stream)) == 1

        await eventually_async(dead_lettered, timeout=30)
        [letter] = await list_dead_letters(kit.redis, stream)
        assert letter.deliveries == 3 and "downstream is broken" in letter.error
        assert set(attempts) == {str(event.event_id)} and len(attempts) >= 3

        async def acked() -> bool:
            return (await kit.redis.xpending(stream, "mediation"))["pending"] == 0

        await eventually_async(acked)
    finally:
        await kit.close()
