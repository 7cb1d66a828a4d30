"""Dispatch applying 1,000 `case.filed` events in batches of 100, in process, on PostgreSQL.

Run from the repository root: .venv/bin/python bench/scripts/consumer_batch.py
(needs the local PostgreSQL and Redis; creates and leaves a `ws_test_*` database).
"""

from __future__ import annotations

import asyncio
import sys
import time

sys.path.insert(0, ".")

from services.dispatch.app import create_app  # noqa: E402
from services.dispatch.config import DispatchSettings  # noqa: E402
from shared.contracts.envelope import Envelope  # noqa: E402
from shared.messaging.batching import apply_batch  # noqa: E402
from tests.infra import create_database  # noqa: E402
from waystation.bench.runner import _sample_envelope  # noqa: E402


async def main() -> None:
    url = create_database("postgresql://postgres@127.0.0.1:5432/postgres")
    app = create_app(DispatchSettings(database_url=url, redis_url="redis://127.0.0.1:6379/5"))
    runtime = app.state.runtime
    await runtime.start()
    handlers = runtime.consumer._handlers
    batch = [(f"1-{i}", Envelope.model_validate(_sample_envelope())) for i in range(1000)]
    started = time.perf_counter()
    for i in range(0, len(batch), 100):
        await apply_batch(batch[i : i + 100], handlers, runtime.uow)
    seconds = time.perf_counter() - started
    sys.stdout.write(f"batch path: {len(batch) / seconds:.0f} events/s\n")
    await runtime.stop()


asyncio.run(main())
