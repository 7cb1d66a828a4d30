"""One register change from a route: a use case in one transaction, its refusal as HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from services.dispatch.domain.errors import DispatchError
from services.dispatch.entrypoints.errors import http_error
from shared.messaging.uow import UnitOfWork
from shared.platform.runtime import ServiceRuntime

T = TypeVar("T")


async def change(
    runtime: ServiceRuntime, fn: Callable[[UnitOfWork], Awaitable[Any]], conv: Callable[[Any], T]
) -> T:
    """Run `fn` in one transaction; `conv` reads its result before the commit (the rows it
    returns are not read again after)."""
    try:
        async with runtime.uow() as uow:
            result = conv(await fn(uow))
            await uow.commit()
    except DispatchError as exc:
        raise http_error(exc) from exc
    return result
