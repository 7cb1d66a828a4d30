"""The training clock from the command line and the demo: move every service's clock forward,
wait until all four run on it, and watch what the timers did (#19, J5).

Only development and training deployments serve `/api/v1/admin/clock` (a service in production
refuses to start with the training clock on); `waystation run` turns it on for its services.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

from shared.contracts.glossary import term, written_time

SERVICES = ("intake", "mediation", "dispatch", "notify")
PATH = "/api/v1/admin/clock"


class ClockUnavailable(RuntimeError):
    """A service does not serve the training clock (off, or in production)."""


async def clock_states(
    client: httpx.AsyncClient, urls: Mapping[str, str], headers: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Each service's view of the clock."""
    states = {}
    for name, url in urls.items():
        answer = await client.get(f"{url}{PATH}", headers=dict(headers))
        if answer.status_code == 404:
            raise ClockUnavailable(
                f"{name} 未启用训练时钟 (training clock off): start the services with "
                "WAYSTATION_TRAINING_CLOCK=true, in development or training only"
            )
        answer.raise_for_status()
        states[name] = answer.json()
    return states


async def advance_all(
    client: httpx.AsyncClient,
    urls: Mapping[str, str],
    headers: Mapping[str, str],
    step: Mapping[str, int],
    patience: float = 30.0,
) -> dict[str, dict[str, Any]]:
    """Move the shared clock forward once, then wait until every service runs on it."""
    first = next(iter(urls.values()))
    answer = await client.post(f"{first}{PATH}/advance", json=dict(step), headers=dict(headers))
    if answer.status_code == 404:
        raise ClockUnavailable("训练时钟未启用 (training clock off)")
    answer.raise_for_status()
    wanted = answer.json()["offset_seconds"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        states = await clock_states(client, urls, headers)
        if all(s["offset_seconds"] >= wanted for s in states.values()):
            return states
        if loop.time() > deadline:
            behind = [n for n, s in states.items() if s["offset_seconds"] < wanted]
            raise ClockUnavailable(f"services did not follow the clock: {', '.join(behind)}")
        await asyncio.sleep(0.2)


async def settle(
    client: httpx.AsyncClient, intake: str, case_ids: list[str], headers: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Each case's timeline once it stops growing (the timers fired, the events went round)."""
    last: dict[str, list[dict[str, Any]]] = {}
    quiet = 0
    for _ in range(60):
        now = {
            case_id: (
                await client.get(f"{intake}/api/v1/cases/{case_id}", headers=dict(headers))
            ).json()["timeline"]
            for case_id in case_ids
        }
        quiet = quiet + 1 if now == last else 0
        if quiet >= 3:  # three polls (1.5 s, past every service's 1 s timer poll) unchanged
            return now
        last = now
        await asyncio.sleep(0.5)
    return last


def describe(entry: Mapping[str, Any]) -> str:
    """A timeline entry as a line of the demo: its time in Shanghai and its words."""
    words = entry.get("text_zh") or term("event", str(entry.get("event_type")))
    return f"{written_time(str(entry['occurred_at']))}  {words}"
