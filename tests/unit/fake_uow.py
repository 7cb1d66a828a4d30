"""A unit of work in memory: a service's use cases run on fake repositories, with no I/O.

It queues events like the real one (`emit` is the real method: the producer is checked) and
`commit` moves them to `committed_events` and `outbox`; the repositories it carries (e.g.
`hazards`, `deliveries`) are what the service layer's `*_in(uow)` functions return.
"""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any, Self

from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, producer: str, clock: Clock, **repositories: Any) -> None:
        # No session and no tables: the base's __init__ wants a session maker.
        for name, repository in repositories.items():
            setattr(self, name, repository)
        self._clock = clock
        self._producer = producer
        self._on_commit = None
        self._events: list[Envelope] = []
        self._processed: list[tuple[Envelope, str]] = []
        self._traceparents: dict[uuid.UUID, str | None] = {}
        self._after_commit = []
        self.committed_events: list[Envelope] = []
        self.outbox: list[Envelope] = []  # every event ever committed, in order
        self.processed: list[uuid.UUID] = []
        self.commits = 0

    async def __aenter__(self) -> Self:
        self._events, self._processed = [], []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._events, self._processed = [], []

    async def seen(self, event_id: uuid.UUID) -> bool:
        return event_id in self.processed

    async def commit(self) -> None:
        self.committed_events = list(self._events)
        self.outbox.extend(self._events)
        self.processed.extend(e.event_id for e, _entry in self._processed)
        self._events, self._processed = [], []
        self.commits += 1
