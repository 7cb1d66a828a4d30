"""Demo sign-in: the demo acts as real users who log in at intake like anyone else.

On first use each demo user is created in intake's database (username `demo-<role>-<actor
id>`, password DEMO_PASSWORD); never do this outside a development set-up.
"""

from __future__ import annotations

import asyncio

import httpx

DEMO_PASSWORD = "waystation-demo-2026"


async def login(client: httpx.AsyncClient, intake: str, role: str, actor_id: str) -> dict[str, str]:
    """Authorization headers of the demo user acting as `role`/`actor_id` (created if new)."""
    username = f"demo-{role}-{actor_id}"[:100]
    form = {"username": username, "password": DEMO_PASSWORD}
    answer = await _sign_in(client, intake, form)
    if answer.status_code == 401:
        from services.intake.entrypoints.cli import ensure_demo_user

        await ensure_demo_user(username, DEMO_PASSWORD, role, actor_id)
        answer = await _sign_in(client, intake, form)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _sign_in(client: httpx.AsyncClient, intake: str, form: dict[str, str]) -> httpx.Response:
    """Intake's login, as a polite client: a demo run again within the minute meets the login
    limit (429), or a limiter without Redis (503); it waits as long as Retry-After says (at
    most a minute per wait, three waits) instead of failing."""
    answer = await client.post(f"{intake}/api/v1/auth/token", data=form)
    for _ in range(3):
        wait = answer.headers.get("Retry-After", "")
        if answer.status_code not in (429, 503) or not wait.isdigit():
            break
        await asyncio.sleep(min(int(wait), 60))
        answer = await client.post(f"{intake}/api/v1/auth/token", data=form)
    return answer
