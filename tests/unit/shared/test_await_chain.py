"""A stall report names the innermost await, not only the task's outermost coroutine."""

from __future__ import annotations

import asyncio

from shared.messaging.stacks import await_chain


async def _query(release: asyncio.Event) -> None:
    await release.wait()


async def _apply_batch(release: asyncio.Event) -> None:
    await _query(release)


async def _reader(release: asyncio.Event) -> None:
    await _apply_batch(release)


async def test_the_chain_runs_from_the_task_down_to_the_awaited_future():
    release = asyncio.Event()
    task = asyncio.create_task(_reader(release))
    await asyncio.sleep(0)  # let it reach its wait
    try:
        chain = await_chain(task)
    finally:
        release.set()
        await task
    names = [line.rsplit(" in ", 1)[-1] for line in chain if " in " in line]
    assert names[:3] == ["_reader", "_apply_batch", "_query"]
    assert "wait" in names  # asyncio.Event.wait, the innermost coroutine
    assert chain[-1].startswith("awaiting Future")  # the C future's iterator
    assert all("test_await_chain.py:" in line for line in chain[:3])
