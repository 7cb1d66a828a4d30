"""The demo signs in like a polite client: it waits out the login limit instead of failing."""

from __future__ import annotations

import httpx
import pytest

from waystation.demo_login import login


async def test_a_demo_run_again_within_the_minute_waits_out_the_login_limit() -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "0"}, json={"detail": "slow down"}),
            httpx.Response(200, json={"access_token": "t0k3n", "token_type": "bearer"}),
        ]
    )
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return next(answers)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        headers = await login(client, "http://intake", "committee", "committee-chair")
    assert headers == {"Authorization": "Bearer t0k3n"}
    assert seen == ["/api/v1/auth/token", "/api/v1/auth/token"]


async def test_a_refusal_without_retry_after_is_not_retried() -> None:
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(429, json={"detail": "slow down"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await login(client, "http://intake", "committee", "committee-chair")
    assert refused.value.response.status_code == 429
    assert calls == 1
