"""The public posts (tracking answers, Open311 requests) are rate-limited per client."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.infra import private_redis
from tests.integration.intake_server import serve_intake

pytestmark = pytest.mark.integration


async def test_public_posts_beyond_the_limit_get_429(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
    with private_redis(tmp_path / "redis") as (redis_url, _proc):
        async with (
            serve_intake(url, redis_url, tmp_path, public_posts_per_minute=2) as intake,
            httpx.AsyncClient(base_url=intake.url, timeout=10) as client,
        ):
            answers = [
                await client.post("/track/NOPE-NOPE/answer", json={"fixed": True}) for _ in range(3)
            ]
            posts = [
                await client.post("/open311/v2/requests.json", data={"api_key": "k"})
                for _ in range(3)
            ]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert [p.status_code for p in posts][-1] == 429
    assert int(answers[-1].headers["retry-after"]) >= 1
