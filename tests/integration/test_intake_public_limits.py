"""The per-address limit on intake's public POSTs (tracking answers and Open311 filings) applies.

Each public router was once also mounted a first time without the limit, and the first mount
answered every request; this proves the limited one is the one serving.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.infra import private_redis
from tests.integration.intake_server import Intake, serve_intake

pytestmark = pytest.mark.integration


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Intake]:
    with private_redis(tmp_path / "redis") as (redis_url, _proc):
        url = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
        async with serve_intake(url, redis_url, tmp_path, public_posts_per_minute=3) as server:
            yield server


async def test_public_posts_beyond_the_limit_get_429_with_retry_after(limited: Intake):
    async with httpx.AsyncClient(base_url=limited.url) as client:
        answers = [
            await client.post("/track/NOSUCHCODE/answer", json={"fixed": True}) for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [404] * 3 + [429]
        assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
        filings = [
            await client.post("/open311/v2/requests.json", data={"api_key": "ws_x"})
            for _ in range(4)
        ]
        assert [f.status_code for f in filings][-1] == 429
        assert all(f.status_code != 429 for f in filings[:3])
        # GETs are not limited.
        reads = [await client.get("/open311/v2/services.json") for _ in range(5)]
        assert {r.status_code for r in reads} == {200}


async def test_open311_over_the_limit_answers_429_in_the_format_asked_for(limited: Intake):
    async with httpx.AsyncClient(base_url=limited.url) as client:
        answers = [
            await client.post("/open311/v2/requests.xml", data={"api_key": "ws_y"})
            for _ in range(4)
        ]
        limited_answer = answers[-1]
        assert limited_answer.status_code == 429
        assert limited_answer.headers["content-type"] == "text/xml; charset=utf-8"
        assert 1 <= int(limited_answer.headers["retry-after"]) <= 60
        top = ET.fromstring(limited_answer.content)
        assert top.tag == "errors" and [e.tag for e in top] == ["error"]
        assert top.find("error/code").text == "429"  # type: ignore[union-attr]
        assert "retry" in top.find("error/description").text  # type: ignore[union-attr,operator]
        as_json = await client.post("/open311/v2/requests.json", data={"api_key": "ws_y"})
        assert as_json.status_code == 429
        [error] = as_json.json()
        assert error["code"] == 429 and error["description"]
