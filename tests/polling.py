"""Waiting on a condition with a deadline, never a bare sleep: the one polling rule of the tests.

`eventually` for a plain check (a system in other processes, a browser), `eventually_async` for
a check that awaits (a service in this test's event loop). Each returns the check's first
truthy value, and fails with the last value seen once the deadline has passed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class _Deadline:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._at = time.monotonic() + timeout

    def reached(self, value: object) -> bool:
        """True when `value` is what we waited for; raises once the time is up."""
        if value:
            return True
        if time.monotonic() > self._at:
            raise AssertionError(f"not reached within {self.timeout}s (last: {value!r})")
        return False


def eventually(check: Callable[[], T], timeout: float = 30.0, interval: float = 0.1) -> T:
    """Call `check` until it returns something truthy."""
    deadline = _Deadline(timeout)
    while True:
        value = check()
        if deadline.reached(value):
            return value
        time.sleep(interval)


async def eventually_async(
    check: Callable[[], Awaitable[T]], timeout: float = 15.0, interval: float = 0.05
) -> T:
    """Await `check` until it returns something truthy."""
    deadline = _Deadline(timeout)
    while True:
        value = await check()
        if deadline.reached(value):
            return value
        await asyncio.sleep(interval)
