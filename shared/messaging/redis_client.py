"""Every Redis client and FastStream broker of Waystation is built here, from `REDIS_URL`.

A single node is named as always (`redis://host:port/0`, `rediss://...`). A Redis Cluster is
named by the scheme `redis+cluster://` (TLS: `rediss+cluster://`) and one or more seed nodes:
`redis+cluster://[user:password@]host:port[,host:port...]`. The client then is redis-py's
`RedisCluster` (it discovers the other nodes from any seed) and the broker FastStream's
`RedisClusterBroker`. A cluster keeps only database 0, so a path other than `/0` is refused.

On a cluster every key one command, Lua script or MULTI touches must hash to one slot. The
partitioned key names (`{waystation.intake.p}`, shared/messaging/partitions.py) are hash-tagged
so a partition's stream, dead letters and their index share a slot; the legacy names of N = 1
are not, so a cluster needs `STREAM_PARTITIONS` >= 2 (`require_slot_safe`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from faststream.redis import RedisBroker, RedisClusterBroker
from redis.asyncio import Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster

# What the kit takes: a single-node client or a cluster client (same commands, same replies).
RedisClient = Redis | RedisCluster

_CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


class RedisUrlError(ValueError):
    """A REDIS_URL Waystation cannot use (the message says why and what to write instead)."""


@dataclass(frozen=True)
class ClusterAddress:
    """A cluster URL taken apart: a plain URL of the first seed, and every seed node."""

    url: str  # redis[s]://[user:password@]first-host:port/0, options as given
    nodes: tuple[tuple[str, int], ...]


def is_cluster_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in _CLUSTER_SCHEMES


def parse_cluster_url(url: str) -> ClusterAddress:
    """`redis+cluster://u:p@h1:7000,h2:7001/0?x=y` -> `redis://u:p@h1:7000/0?x=y` + seeds."""
    scheme, rest = url.split("://", 1)
    plain = _CLUSTER_SCHEMES.get(scheme.lower())
    if plain is None:
        raise RedisUrlError(f"not a Redis Cluster URL (redis+cluster://...): {scheme}://")
    netloc, sep, tail = rest.partition("/")
    if not sep:
        netloc, sep, tail = rest.partition("?")
        tail = f"?{tail}" if sep else ""
    else:
        tail = f"/{tail}"
    userinfo, at, hosts = netloc.rpartition("@")
    nodes: list[tuple[str, int]] = []
    for seed in hosts.split(","):
        host, colon, port = seed.strip().rpartition(":")
        if not colon:
            host, port = seed.strip(), "6379"
        if not host or not port.isdigit():
            raise RedisUrlError(
                f"REDIS_URL: a cluster seed must be host:port, not {seed!r} "
                "(redis+cluster://host:port[,host:port...])"
            )
        nodes.append((host.strip("[]"), int(port)))
    database = urlsplit(f"{plain}://x{tail}").path.strip("/")
    if database not in ("", "0"):
        raise RedisUrlError(f"REDIS_URL: a Redis Cluster has only database 0, not /{database}")
    first = f"{nodes[0][0]}:{nodes[0][1]}"
    return ClusterAddress(f"{plain}://{userinfo}{at}{first}{tail}", tuple(nodes))


def require_slot_safe(url: str, partitions: int) -> None:
    """Refuse a cluster with the legacy, un-tagged key names of STREAM_PARTITIONS = 1."""
    if is_cluster_url(url) and partitions < 2:
        raise RedisUrlError(
            "REDIS_URL names a Redis Cluster (redis+cluster://) but STREAM_PARTITIONS is "
            f"{partitions}: a cluster needs STREAM_PARTITIONS >= 2, whose hash-tagged stream "
            "names keep a partition's stream, dead letters and their index in one slot "
            "(docs/scaling.md, 'Redis Cluster')"
        )


def make_redis(url: str, **options: Any) -> RedisClient:
    """A redis.asyncio client for `url`: `Redis` for one node, `RedisCluster` for a cluster."""
    if not is_cluster_url(url):
        return Redis.from_url(url, **options)
    address = parse_cluster_url(url)
    seeds = [ClusterNode(host, port) for host, port in address.nodes]
    return RedisCluster.from_url(address.url, startup_nodes=seeds, **options)


def make_broker(url: str, **options: Any) -> RedisBroker:
    """FastStream's broker for `url`: `RedisBroker`, or `RedisClusterBroker` for a cluster."""
    if not is_cluster_url(url):
        return RedisBroker(url, **options)
    address = parse_cluster_url(url)
    return RedisClusterBroker(address.url, startup_nodes=list(address.nodes[1:]), **options)


def is_cluster_client(redis: RedisClient) -> bool:
    return isinstance(redis, RedisCluster)


async def drop_connections(redis: RedisClient) -> None:
    """Close every open connection (a call hung past its timeouts); the next call reconnects."""
    if isinstance(redis, RedisCluster):
        for node in redis.get_nodes():
            await node.disconnect()
    else:
        await redis.connection_pool.disconnect()
