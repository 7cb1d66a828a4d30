"""The Redis factory: which URL names a cluster, the refusal of a cluster with N = 1, and that
every key one Lua script or MULTI of the kit touches shares a slot for every N >= 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from faststream.redis import RedisBroker, RedisClusterBroker
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.crc import key_slot

from shared.contracts.streams import SERVICES
from shared.messaging.partitions import (
    MAX_PARTITIONS,
    dead_letter_index,
    dead_letter_stream,
    streams_of,
)
from shared.messaging.redis_client import (
    RedisUrlError,
    is_cluster_url,
    make_broker,
    make_redis,
    parse_cluster_url,
    require_slot_safe,
)
from shared.platform.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[3]
CLUSTER = "redis+cluster://10.0.0.1:7000,10.0.0.2:7001"


def test_only_the_cluster_scheme_names_a_cluster() -> None:
    assert is_cluster_url(CLUSTER)
    assert is_cluster_url("rediss+cluster://h:7000")
    assert not is_cluster_url("redis://127.0.0.1:6379/0")
    assert not is_cluster_url("rediss://h:6380/0")
    assert not is_cluster_url("unix:///tmp/redis.sock")


def test_a_cluster_url_gives_its_seeds_and_a_plain_url_of_the_first() -> None:
    got = parse_cluster_url("redis+cluster://u:p%40w@h1:7000,h2:7001/0?socket_timeout=3")
    assert got.nodes == (("h1", 7000), ("h2", 7001))
    assert got.url == "redis://u:p%40w@h1:7000/0?socket_timeout=3"
    assert parse_cluster_url("rediss+cluster://h1").url == "rediss://h1:6379"
    assert parse_cluster_url("redis+cluster://h1:7000?x=1").url == "redis://h1:7000?x=1"


@pytest.mark.parametrize(
    "url", ["redis+cluster://h1:7000/3", "redis+cluster://h1:port", "redis+cluster://:7000"]
)
def test_a_cluster_url_waystation_cannot_use_is_refused(url: str) -> None:
    with pytest.raises(RedisUrlError):
        parse_cluster_url(url)


def test_one_node_keeps_the_plain_client_and_broker_and_a_cluster_gets_the_cluster_ones() -> None:
    node = make_redis("redis://127.0.0.1:6379/0", socket_timeout=15)
    assert type(node) is Redis and node.connection_pool.connection_kwargs["socket_timeout"] == 15
    assert type(make_broker("redis://127.0.0.1:6379/0", logger=None)) is RedisBroker
    cluster = make_redis(CLUSTER, socket_timeout=15)  # nothing connects until the first call
    assert isinstance(cluster, RedisCluster)
    seeds = {(n.host, n.port) for n in cluster.nodes_manager.startup_nodes.values()}
    assert seeds == {("10.0.0.1", 7000), ("10.0.0.2", 7001)}
    assert isinstance(make_broker(CLUSTER, logger=None), RedisClusterBroker)


def test_a_cluster_with_one_partition_is_refused_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STREAM_PARTITIONS", raising=False)
    monkeypatch.setenv("REDIS_URL", CLUSTER)
    with pytest.raises(ValidationError) as refused:
        ServiceSettings()
    said = str(refused.value)
    assert "Redis Cluster" in said and "STREAM_PARTITIONS >= 2" in said
    assert "docs/scaling.md" in said
    with pytest.raises(ValidationError, match="STREAM_PARTITIONS >= 2"):
        ServiceSettings(redis_url=CLUSTER, stream_partitions=1)
    with pytest.raises(RedisUrlError, match="STREAM_PARTITIONS is 1"):
        require_slot_safe(CLUSTER, 1)
    monkeypatch.setenv("STREAM_PARTITIONS", "4")
    assert ServiceSettings().stream_partitions == 4
    assert ServiceSettings().redis_url == CLUSTER
    require_slot_safe("redis://127.0.0.1:6379/0", 1)  # one node: N = 1 as always


def _script_keys(stream: str) -> list[str]:
    """The keys the dead-letter script (and the replay's MULTI) touch for a stream."""
    return [dead_letter_stream(stream), dead_letter_index(stream)]


@pytest.mark.parametrize("partitions", [2, 3, 4, 7, 16, MAX_PARTITIONS])
def test_every_key_a_script_or_transaction_touches_shares_its_partitions_slot(
    partitions: int,
) -> None:
    for service in SERVICES:
        streams = streams_of(service, partitions)
        for stream in streams:
            assert {key_slot(k.encode()) for k in [stream, *_script_keys(stream)]} == {
                key_slot(stream.encode())
            }, stream
        if partitions >= 4:  # the partitions spread over slots, so over a cluster's shards
            assert len({key_slot(s.encode()) for s in streams}) > 1


def test_the_legacy_names_of_one_partition_are_not_slot_safe() -> None:
    """Why a cluster needs N >= 2: with N = 1 the script's keys fall in different slots."""
    crossing = [
        s
        for service in SERVICES
        for s in streams_of(service, 1)
        if len({key_slot(k.encode()) for k in _script_keys(s)}) > 1
    ]
    assert crossing


# Every Lua script, MULTI and multi-key command in a deployment's code, by file: a new one
# belongs here only once its keys are known to share a slot on a cluster (the tests above,
# and tests/integration/test_redis_cluster.py, which runs each of them on a real cluster).
KNOWN_MULTI_KEY_CALLS = {
    "shared/messaging/dead_letters.py": [".eval(", "pipeline(transaction=True)"],
    "services/intake/entrypoints/ratelimit.py": ["register_script("],  # one key per call
}
_MULTI_KEY = re.compile(
    r"\.eval\(|\.evalsha\(|register_script\(|pipeline\(transaction=True\)|\.multi\(|"
    r"\.watch\(|\.mget\(|\.mset\(|\.rename\(|\.sunionstore\(|\.zunionstore\(|\.blmove\("
)


def test_no_unreviewed_script_transaction_or_multi_key_command_in_a_deployments_code() -> None:
    found: dict[str, list[str]] = {}
    for folder in ("shared", "services", "waystation"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "bench" in path.relative_to(ROOT).parts:  # the raw baseline of `make bench`
                continue
            hits = [m.group(0) for m in _MULTI_KEY.finditer(path.read_text())]
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    assert found == KNOWN_MULTI_KEY_CALLS
