"""A real local Redis Cluster for the tests: three masters, no replicas, on free ports.

The cluster itself is the benchmark's (waystation/bench/cluster.py): each node
`redis-server --cluster-enabled yes` with its own folder, slots assigned by `redis-cli --cluster
create`, the URL yielded once every node says `cluster_state:ok`. `TEST_REDIS_CLUSTER_URL` (a
`redis+cluster://` URL) uses a cluster that is already running instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import redis
from redis.cluster import RedisCluster

from shared.messaging.redis_client import is_cluster_url, parse_cluster_url
from waystation.bench.cluster import local_cluster


@contextlib.contextmanager
def redis_cluster_for_tests(folder: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_CLUSTER_URL"):
        yield url
        return
    with local_cluster(folder) as url:
        yield url


def sync_client(url: str) -> redis.Redis | RedisCluster:
    """A synchronous client for fixtures and assertions: a cluster's, or one node's."""
    if not is_cluster_url(url):
        return redis.Redis.from_url(url)
    host, port = parse_cluster_url(url).nodes[0]
    return RedisCluster(host=host, port=port)


def flush(url: str) -> None:
    """Empty the Redis (on a cluster: FLUSHDB on every master)."""
    client = sync_client(url)
    try:
        if isinstance(client, RedisCluster):
            client.flushdb(target_nodes=RedisCluster.PRIMARIES)
        else:
            client.flushdb()
    finally:
        client.close()
