"""One dispatch process draining 2,000 queued events (private Redis, local PostgreSQL).

Run from the repository root: .venv/bin/python bench/scripts/drain_one_consumer.py
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

sys.path.insert(0, ".")

import redis  # noqa: E402
from redis.asyncio import Redis  # noqa: E402

from services.dispatch.app import create_app  # noqa: E402
from services.dispatch.config import DispatchSettings  # noqa: E402
from shared.contracts.streams import all_group_pairs  # noqa: E402
from shared.messaging.groups import ensure_groups  # noqa: E402
from tests.infra import create_database, free_port, wait_for_pong  # noqa: E402
from waystation.bench.runner import _queue_filed_hazards  # noqa: E402


def backlog(client: redis.Redis) -> int:
    group = next(g for g in client.xinfo_groups("waystation.intake") if g["name"] == b"dispatch")
    return int(group["pending"] + (group.get("lag") or 0))


async def main(url: str) -> None:
    await ensure_groups(Redis.from_url(url), all_group_pairs())
    await _queue_filed_hazards(url, 2000)
    database = create_database("postgresql://postgres@127.0.0.1:5432/postgres")
    runtime = create_app(DispatchSettings(database_url=database, redis_url=url)).state.runtime
    client = redis.Redis.from_url(url)
    started = time.perf_counter()
    await runtime.start()
    while backlog(client):
        await asyncio.sleep(0.2)
    seconds = time.perf_counter() - started
    sys.stdout.write(
        f"drained 2000 in {seconds:.1f}s = {2000 / seconds:.0f}/s "
        f"(batches applied one by one: {runtime.consumer.batch_fallbacks_total})\n"
    )
    await runtime.stop()


port = free_port()
server = subprocess.Popen(
    ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
    stdout=subprocess.DEVNULL,
)
try:
    wait_for_pong(f"redis://127.0.0.1:{port}/0")
    asyncio.run(main(f"redis://127.0.0.1:{port}/0"))
finally:
    server.kill()
