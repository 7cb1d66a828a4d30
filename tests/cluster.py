"""A real local Redis Cluster for the tests: three masters, no replicas, on free ports.

Each node is `redis-server --cluster-enabled yes` with its own folder (append-only file, as
the chaos tests' Redis); `redis-cli --cluster create` assigns the slots; the URL is yielded
once `CLUSTER INFO` says `cluster_state:ok` on every node. `TEST_REDIS_CLUSTER_URL` (a
`redis+cluster://` URL) uses a cluster that is already running instead.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from redis.cluster import RedisCluster

from shared.redis_client import is_cluster_url, parse_cluster_url
from tests.infra import free_port, wait_for_pong

MASTERS = 3


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"no {name} binary: install it (Debian: redis-server, redis-tools)")
    return found


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free and valid too."""
    while True:
        port = free_port()
        if port + 10_000 < 65_536 and _bindable(port + 10_000):
            return port
        port = random.randrange(20_000, 50_000)
        if _bindable(port) and _bindable(port + 10_000):
            return port


def _wait_cluster_ok(ports: list[int], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    clients = [redis.Redis(host="127.0.0.1", port=p) for p in ports]
    while True:
        states = [c.execute_command("CLUSTER INFO").get("cluster_state") for c in clients]
        if all(state == "ok" for state in states):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test cluster did not become ok: {states}")
        time.sleep(0.05)


@contextlib.contextmanager
def redis_cluster_for_tests(folder: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_CLUSTER_URL"):
        yield url
        return
    server, cli = _binary("redis-server"), _binary("redis-cli")
    ports = [cluster_port() for _ in range(MASTERS)]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:
            node = folder / str(port)
            node.mkdir(parents=True, exist_ok=True)
            args = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(node)]
            args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
            args += ["--cluster-node-timeout", "5000", "--save", ""]
            args += ["--appendonly", "yes", "--appendfsync", "everysec"]
            procs.append(
                subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        for port in ports:
            wait_for_pong(f"redis://127.0.0.1:{port}/0")
        nodes = [f"127.0.0.1:{p}" for p in ports]
        subprocess.run(
            [cli, "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        _wait_cluster_ok(ports)
        yield "redis+cluster://" + ",".join(nodes)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


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
