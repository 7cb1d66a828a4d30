"""Running a POST at most once per Idempotency-Key (the record joins the change's transaction)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError

from services.intake.domain.errors import InvalidField
from services.intake.service_layer import idempotency
from shared.messaging.uow import UnitOfWork
from shared.platform.runtime import ServiceRuntime

Action = Callable[[UnitOfWork], Awaitable[Response]]
HEADER = "Idempotency-Key"


def key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200:
        raise InvalidField(HEADER, "1 to 200 characters")
    return key


async def run_once(
    runtime: ServiceRuntime, request: Request, digest: str | Callable[[], str], action: Action
) -> Response:
    """Run `action` in a unit of work and commit only a 2xx answer.

    With an Idempotency-Key, a repeat returns the stored first answer; the same key with a
    different body raises IdempotencyMismatch (409 at the route). `digest` may be a function
    of no arguments: the body is then digested only when the request has a key.
    """
    key = key_of(request)
    if key is not None and callable(digest):
        digest = digest()
    route = f"{request.method} {request.url.path}"
    for attempt in range(2):
        try:
            async with runtime.uow() as uow:
                if key is not None:
                    assert isinstance(digest, str)
                    stored = await idempotency.recall(uow.session, key, route, digest)
                    if stored is not None:
                        return Response(
                            stored.body,
                            status_code=stored.status_code,
                            media_type=stored.media_type,
                            headers={"Idempotent-Replayed": "true"},
                        )
                response = await action(uow)
                if not 200 <= response.status_code < 300:
                    return response  # leaving the unit of work uncommitted stores nothing
                if key is not None:
                    assert isinstance(digest, str)
                    idempotency.remember(
                        uow.session,
                        key,
                        route,
                        digest,
                        response.status_code,
                        response.media_type or "application/json",
                        bytes(response.body),
                    )
                await uow.commit()
                return response
        except IntegrityError:
            # A concurrent request with the same key (or update_id) committed first, or a
            # tracking code collided: the second run answers with the winner's result.
            if attempt == 1:
                raise
    raise AssertionError("unreachable")
