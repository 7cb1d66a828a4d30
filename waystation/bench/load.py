"""The load generator: a separate process offering tickets at a fixed rate over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import PRIVATE_ENV
from shared.platform.auth.tokens import issue


def _officer() -> dict[str, str]:
    """An intake officer's token, signed with the key the system under test verifies."""
    private = Path(os.environ[PRIVATE_ENV]).read_bytes()
    actor = Actor(role="intake_officer", id="bench-officer")
    return {
        "Authorization": f"Bearer {issue(private, actor, user_id='bench', ttl_seconds=6 * 3600)}"
    }


# A 130 × 170 grid over the district, cells ~280 m apart; each pass over it moves ~11 m north,
# so 25 passes (552,500 tickets) file at distinct spots that no duplicate search merges.
_ROWS, _COLS, _PASSES = 130, 170, 25


def spot(n: int) -> tuple[float, float]:
    """The n-th point of a grid over the district (spreads the load over every town)."""
    cell, shift = n % (_ROWS * _COLS), n // (_ROWS * _COLS) % _PASSES
    return 30.96 + (cell % _ROWS) * 0.0025 + shift * 0.0001, 120.86 + (cell // _ROWS) * 0.0027


async def offer(
    intake: str, rate: float, seconds: float, out: Path, concurrency: int, offset: int
) -> None:
    """File hazards at `rate`/s for `seconds`; log `case_id t_201` for every 201."""
    handle = out.open("a", buffering=1, encoding="utf-8")
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    semaphore = asyncio.Semaphore(concurrency)
    tasks: set[asyncio.Task[None]] = set()
    failures = 0

    async with httpx.AsyncClient(timeout=30, limits=limits, headers=_officer()) as client:

        async def one(n: int) -> None:
            nonlocal failures
            lat, lng = spot(offset + n)
            body = {
                "category": "road_damage",
                "latitude": lat,
                "longitude": lng,
                "description": f"压测工单 {n}：路面坑洼",
                "reporter": {"name": "压测骑手"},
            }
            async with semaphore:
                try:
                    response = await client.post(f"{intake}/api/v1/hazards", json=body)
                except httpx.HTTPError:
                    failures += 1
                    return
            if response.status_code == 201:
                handle.write(f"{response.json()['case_id']} {time.time():.6f}\n")
            else:
                failures += 1

        started = time.perf_counter()
        n = 0
        while (elapsed := time.perf_counter() - started) < seconds:
            due = int(elapsed * rate) + 1
            while n < due:
                n += 1
                task = asyncio.create_task(one(n))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.sleep(0.002)
        await asyncio.gather(*tasks)
    (out.with_suffix(".failures")).write_text(json.dumps({"failures": failures, "offered": n}))


def main() -> None:
    intake, rate, seconds, out, concurrency, offset = sys.argv[1:7]
    asyncio.run(
        offer(intake, float(rate), float(seconds), Path(out), int(concurrency), int(offset))
    )


if __name__ == "__main__":
    main()
