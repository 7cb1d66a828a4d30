"""A local Redis Cluster of three masters on free ports (the benchmark's and the tests').

Each node is `redis-server --cluster-enabled yes` with its own folder (append-only file, as
the benchmark's single Redis); `redis-cli --cluster create` assigns the slots; the URL
(`redis+cluster://...`) is yielded once `CLUSTER INFO` says `cluster_state:ok` on every node.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

from waystation.bench.ports import cluster_ports

MASTERS = 3


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"no {name} binary: install it (Debian: redis-server, redis-tools)")
    return found


def _until(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            last = check()  # type: ignore[operator]
            if last is True:
                return
        except redis.RedisError as exc:  # not up yet
            last = exc
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} in {timeout:.0f} s: {last}")
        time.sleep(0.05)


def _state(client: redis.Redis) -> str:
    info: dict[str, str] = client.execute_command("CLUSTER INFO")  # type: ignore[no-untyped-call]
    return info.get("cluster_state", "")


@dataclass
class LocalCluster:
    """Three masters, no replicas; `url` is set once the cluster is ok."""

    folder: Path
    ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    url: str = ""

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def start(self) -> str:
        server, cli = _binary("redis-server"), _binary("redis-cli")
        self.ports = cluster_ports(MASTERS)
        for port in self.ports:
            node = self.folder / str(port)
            node.mkdir(parents=True, exist_ok=True)
            args = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(node)]
            args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
            args += ["--cluster-node-timeout", "5000", "--save", ""]
            args += ["--appendonly", "yes", "--appendfsync", "everysec"]
            self.procs.append(
                subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        clients = [redis.Redis(host="127.0.0.1", port=p) for p in self.ports]
        for client in clients:
            _until(lambda c=client: bool(c.ping()), 10, "a cluster node did not answer PING")
        nodes = [f"127.0.0.1:{p}" for p in self.ports]
        subprocess.run(
            [cli, "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        _until(
            lambda: all(_state(c) == "ok" for c in clients),
            30,
            "the local cluster did not become ok",
        )
        for client in clients:
            client.close()
        self.url = "redis+cluster://" + ",".join(nodes)
        return self.url

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


@contextlib.contextmanager
def local_cluster(folder: Path) -> Iterator[str]:
    """A running local 3-master cluster's `redis+cluster://` URL, stopped on exit."""
    cluster = LocalCluster(folder)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
