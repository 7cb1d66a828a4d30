"""Where a suspended task is waiting: its whole await chain, for a stall report.

`Task.get_stack()` shows only the outermost frame of a suspended coroutine; what a stall
report needs is the innermost await (which query, which Redis call, which sleep).
"""

from __future__ import annotations

import asyncio
from typing import Any


def await_chain(task: asyncio.Task[Any], limit: int = 40) -> list[str]:
    """`file:line in function` for each coroutine from the task's down to what it awaits."""
    chain: list[str] = []
    awaitable: Any = task.get_coro()
    while awaitable is not None and len(chain) < limit:
        frame = getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)
        if frame is None:  # a future, a finished coroutine, or a C-level awaitable
            chain.append(f"awaiting {type(awaitable).__qualname__}")
            break
        code = frame.f_code
        chain.append(f"{code.co_filename}:{frame.f_lineno} in {code.co_name}")
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "gi_yieldfrom", None)
    return chain
