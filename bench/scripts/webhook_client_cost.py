"""What one webhook POST costs the sending process, by HTTP client (issue #21, section 18).

A receiver (an aiohttp server) runs in a child process, so its work is not counted; this process
POSTs the JSON body notify sends to a department, N times over one kept-alive connection, with
httpx's `AsyncClient` and with aiohttp's `ClientSession`, each after a warm-up, and prints the
client's CPU time (`time.process_time`) and wall time per request, ROUNDS rounds in turn.

Run from the repository root: .venv/bin/python bench/scripts/webhook_client_cost.py [N] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import socket
import sys
import time

import aiohttp
import httpx
from aiohttp import web
from rich.console import Console

console = Console(highlight=False, markup=False)
BODY = json.dumps(
    {"version": "1.0", "title": "道路塌陷", "message": "请尽快处理" * 60, "type": "info"}
).encode()
HEADERS = {"Content-Type": "application/json", "User-Agent": "Waystation"}


def _receive(port: int) -> None:
    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", ok)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


async def _with_httpx(url: str, n: int) -> tuple[float, float]:
    async with httpx.AsyncClient(follow_redirects=False) as client:
        for _ in range(50):
            await client.post(url, content=BODY, headers=HEADERS)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            answer = await client.post(url, content=BODY, headers=HEADERS)
            assert answer.status_code == 200
        return time.process_time() - cpu, time.perf_counter() - wall


async def _with_aiohttp(url: str, n: int, trust_env: bool = False) -> tuple[float, float]:
    async with aiohttp.ClientSession(trust_env=trust_env) as session:

        async def post() -> int:
            async with session.post(
                url, data=BODY, headers=HEADERS, allow_redirects=False
            ) as answer:
                await answer.read()
                return answer.status

        for _ in range(50):
            await post()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            assert await post() == 200
        return time.process_time() - cpu, time.perf_counter() - wall


async def _with_aiohttp_trust_env(url: str, n: int) -> tuple[float, float]:
    """trust_env=True: aiohttp looks up the environment's proxy and ~/.netrc on every request,
    each in a worker thread (what notify's session did until section 19)."""
    return await _with_aiohttp(url, n, trust_env=True)


async def _with_sender(url: str, n: int) -> tuple[float, float]:
    """notify's own `Sender.send`: the json:// URL read by Apprise's parser, the body built,
    the route (proxy, ~/.netrc) kept per host, the POST through its pooled aiohttp session."""
    from services.notify.adapters.sender import Sender

    hook = "json://" + url.removeprefix("http://")
    body = json.loads(BODY)["message"]
    async with Sender() as sender:
        for _ in range(50):
            await sender.send(hook, "道路塌陷", body)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            assert (await sender.send(hook, "道路塌陷", body)).ok
        return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    receiver = multiprocessing.Process(target=_receive, args=(port,), daemon=True)
    receiver.start()
    url = f"http://127.0.0.1:{port}/hook"
    try:
        deadline = time.monotonic() + 10
        while True:  # until it listens, or the receiver did not come up
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"no receiver on port {port} after 10 s") from None
                time.sleep(0.05)
        for _ in range(rounds):
            for name, run in (
                ("httpx", _with_httpx),
                ("aiohttp", _with_aiohttp),
                ("aiohttp+env", _with_aiohttp_trust_env),
                ("notify", _with_sender),
            ):
                cpu, wall = asyncio.run(run(url, n))
                console.print(
                    f"{name:12s} {cpu / n * 1e6:6.0f} µs CPU, {wall / n * 1e6:6.0f} µs wall"
                    f" per POST ({n} POSTs, one kept-alive connection)"
                )
    finally:
        receiver.terminate()


if __name__ == "__main__":
    main()
