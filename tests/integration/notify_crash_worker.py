"""Notify's delivery worker as a process that dies by its own SIGKILL right after its N-th send
returns, before that send's outcome is recorded: the crash a delivery must survive with at
most one repeat.

    python -m tests.integration.notify_crash_worker <database_url> <die_after> <concurrency>
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from services.notify.adapters import sender
from services.notify.adapters.outcome import SendOutcome
from services.notify.adapters.tables import KIT
from services.notify.adapters.target_guard import TargetGuard
from services.notify.service_layer.sending import DeliveryWorker
from shared.messaging.uow import UnitOfWork
from shared.platform.db import make_engine, make_sessions


async def main(database_url: str, die_after: int, concurrency: int) -> None:
    sessions = make_sessions(make_engine(database_url))
    sent = 0

    async def send_then_die(url: str, subject: str, body: str) -> SendOutcome:
        nonlocal sent
        outcome = await sender.send(url, subject, body)
        sent += 1
        if sent == die_after:
            os.kill(os.getpid(), signal.SIGKILL)  # sent, not recorded: nothing else runs
        return outcome

    worker = DeliveryWorker(
        sessions,
        lambda: UnitOfWork(sessions, KIT, producer="notify"),
        send_then_die,
        concurrency=concurrency,
        guard=TargetGuard(allowed_hosts=["127.0.0.1"]),
    )
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
