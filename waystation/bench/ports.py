"""Free TCP ports on the loopback for the processes a benchmark or a test starts.

Every port is chosen while the ports chosen before it are still held: asked one at a time, the
kernel may hand out the same free port twice, and two processes given one port leave one of
them unable to start while the other answers in its place (seen in CI: intake and notify of one
test system on one port, so a dispute filed to "intake" reached notify and got 404).
"""

from __future__ import annotations

import contextlib
import random
import socket

_BUS_OFFSET = 10_000  # a Redis Cluster node's bus port is its port + 10000


def _hold(held: contextlib.ExitStack, port: int = 0) -> int | None:
    """Bind `port` (0: any) on the loopback and keep it bound until `held` closes."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        return None
    held.enter_context(sock)
    return int(sock.getsockname()[1])


def free_ports(n: int) -> list[int]:
    """`n` distinct ports that are free now."""
    with contextlib.ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(n)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def free_port() -> int:
    return free_ports(1)[0]


def cluster_ports(n: int) -> list[int]:
    """`n` distinct free ports whose cluster bus ports (port + 10000) are free and valid too."""
    with contextlib.ExitStack() as held:
        chosen: list[int] = []
        while len(chosen) < n:
            port = _hold(held)
            if port is None or port + _BUS_OFFSET >= 65_536:
                port = _hold(held, random.randrange(20_000, 50_000))
            if port is not None and _hold(held, port + _BUS_OFFSET) is not None:
                chosen.append(port)
        return chosen
