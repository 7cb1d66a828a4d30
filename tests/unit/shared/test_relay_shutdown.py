"""Stopping a service stops its relay, even when a commit wakes the relay at that moment."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from shared.messaging.relay import OutboxRelay
from shared.messaging.tables import kit_tables


async def _nothing_to_publish() -> int:
    return 0


async def _publish(_events: object) -> None:
    raise AssertionError("nothing is published in this test")


async def test_a_relay_woken_and_cancelled_at_the_same_moment_stops():
    relay = OutboxRelay(
        None,  # type: ignore[arg-type]  # never touched: relay_once is replaced
        kit_tables(sa.MetaData()),
        _publish,
        service="test",
        poll_interval=30,
    )
    relay.relay_once = _nothing_to_publish  # type: ignore[method-assign]
    task = asyncio.create_task(relay.run())
    for _ in range(3):
        await asyncio.sleep(0)  # the relay now waits for a wake-up
    relay.wake()  # a commit...
    task.cancel()  # ...while the service stops
    done, _ = await asyncio.wait({task}, timeout=2)
    assert task in done, "the relay swallowed its cancellation and kept running"
    with pytest.raises(asyncio.CancelledError):
        task.result()


async def test_stopping_background_tasks_asks_again_when_a_cancellation_is_swallowed():
    from shared.platform.runtime import stop_tasks

    swallowed: list[int] = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed.append(1)  # a library that catches CancelledError once

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    await asyncio.wait_for(stop_tasks([task], patience=0.05), timeout=5)
    assert task.cancelled()
    assert swallowed == [1]
