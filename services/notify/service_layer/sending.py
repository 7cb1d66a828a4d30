"""The delivery worker: lease one due row, send it, record its outcome with its event at once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import quote

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import aliased
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.channels import with_key
from services.notify.adapters.outcome import SendOutcome
from services.notify.adapters.phone_book import PhoneUnavailable
from services.notify.adapters.tables import Delivery
from services.notify.adapters.target_guard import TargetGuard, TargetUnresolvable, UnsafeTarget
from services.notify.service_layer.repository import deliveries_in
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock, SystemClock

log = structlog.get_logger(__name__)
Send = Callable[[str, str, str], Awaitable[SendOutcome]]
PHONE_SLOT = "{phone}"


class PhoneBook(Protocol):
    async def phone_of(self, party_id: str) -> str | None: ...


class DeliveryWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        new_uow: Callable[[], UnitOfWork],
        send: Send,
        *,
        batch: int = 50,
        concurrency: int = 8,
        poll_interval: float = 0.25,
        lease_seconds: float = 60,
        max_attempts: int = 8,
        backoff_base: float = 2.0,
        guard: TargetGuard | None = None,
        phones: PhoneBook | None = None,
        clock: Clock | None = None,
        lease_clock: Clock | None = None,
        on_outcome: Callable[[str, str], None] | None = None,
        wakeup: asyncio.Event | None = None,
    ) -> None:
        self._sessions = sessions
        # Told (channel, "sent" | "failed" | "retry") after each outcome commits (metrics).
        self._on_outcome = on_outcome
        self._new_uow = new_uow
        self._send = send
        self._batch = batch
        # Sends in flight at once, each holding the lease of its own row only: the most that
        # a crash can leave sent but unrecorded, to be sent again when those leases run out.
        self._slots = asyncio.Semaphore(concurrency)
        self._poll = poll_interval
        self._lease = timedelta(seconds=lease_seconds)
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        # Set by whoever commits new deliveries (the planner), so they leave without a poll.
        self._wakeup = wakeup or asyncio.Event()
        self._guard = guard or TargetGuard()
        self._phones = phones
        self._clock = clock or SystemClock()
        # Leases guard against a crashed sender, a matter of processes and wall time; `clock`
        # may be a training clock that replicas follow a moment apart, and a lease one replica
        # set must not look expired to another that has already moved on.
        self._lease_clock = lease_clock or self._clock

    def wake(self) -> None:
        self._wakeup.set()

    async def candidates(self) -> list[Delivery]:
        """Up to a batch of due rows, oldest first, of cases with nothing being sent right now.

        Nothing is leased here: each row is leased just before its own send (`_claim`), so a
        crash leaves only the sends in flight to be repeated. A case whose earlier notice is
        leased (in flight, or left by a crashed worker until its lease runs out) waits, so its
        notices still leave in the order they were planned.
        """
        now = self._clock.now()
        busy = aliased(Delivery)
        in_flight = (
            select(busy.id)
            .where(
                busy.case_id == Delivery.case_id,
                busy.status == "queued",
                col(busy.lease_until) >= self._lease_clock.now(),
            )
            .exists()
        )
        stmt = (
            select(Delivery)
            .where(
                Delivery.status == "queued",
                col(Delivery.next_attempt_at) <= now,
                ~in_flight,
            )
            .order_by(col(Delivery.next_attempt_at), col(Delivery.created_at))
            .limit(self._batch)
        )
        async with self._sessions() as session:
            return list((await session.exec(stmt)).all())

    async def _claim(self, row: Delivery) -> bool:
        """Lease this one row for `lease_seconds`, if nobody sent or holds it meanwhile."""
        now = self._lease_clock.now()
        stmt = (
            sa.update(Delivery)
            .where(
                col(Delivery.id) == row.id,
                col(Delivery.status) == "queued",
                or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now),
            )
            .values(lease_until=now + self._lease)
        )
        async with self._sessions() as session, session.begin():
            claimed = await session.execute(stmt)
        return bool(claimed.rowcount)  # type: ignore[attr-defined]

    async def _deliver(self, row: Delivery) -> SendOutcome:
        # Checked again at send time: DNS may have changed since the directory was loaded.
        try:
            await asyncio.to_thread(self._guard.check, row.target)
        except UnsafeTarget as exc:
            return SendOutcome(ok=False, permanent=True, error=f"refused target: {exc}")
        except TargetUnresolvable:
            return SendOutcome(ok=False, permanent=False, error="target host does not resolve")
        target = row.target
        if PHONE_SLOT in target:  # a rider's SMS: the number is asked for now, never stored
            if self._phones is None:
                return SendOutcome(ok=False, permanent=True, error="no phone book configured")
            try:
                phone = await self._phones.phone_of(row.party_id)
            except PhoneUnavailable as exc:
                return SendOutcome(ok=False, permanent=False, error=f"phone look-up: {exc}")
            if phone is None:
                return SendOutcome(ok=False, permanent=True, error="no phone on file")
            target = target.replace(PHONE_SLOT, quote(phone, safe="+"))
        url = with_key(
            target, row.idempotency_key, {"case_id": str(row.case_id), "event": row.event_type}
        )
        try:
            return await self._send(url, row.subject, row.body)
        except Exception as exc:  # a broken channel must not stop the worker
            return SendOutcome(ok=False, permanent=False, error=f"{type(exc).__name__}")

    async def run_once(self) -> int:
        """Send what is due: cases side by side, each case's notices one after another."""
        rows = await self.candidates()
        if not rows:
            return 0
        by_case: dict[uuid.UUID, list[Delivery]] = {}
        for row in rows:
            by_case.setdefault(row.case_id, []).append(row)
        done = await asyncio.gather(*(self._send_in_order(chain) for chain in by_case.values()))
        return sum(done)

    async def _send_in_order(self, chain: list[Delivery]) -> int:
        """A reporter must not hear "closed" before "acknowledged" because both were due
        together (a backlog caught up in one round): one at a time, in planned order."""
        sent = 0
        for row in chain:
            async with self._slots:
                if not await self._claim(row):
                    return sent  # another worker has it; the rest of the case waits for it
                outcome = await self._deliver(row)
                label = await self._record_one(row, outcome)
            sent += 1
            if self._on_outcome is not None and label is not None:
                self._on_outcome(row.channel, label)
        return sent

    async def _record_one(self, row: Delivery, outcome: SendOutcome) -> str | None:
        """The outcome commits as soon as the send returns: a crash after this repeats nothing."""
        async with self._new_uow() as uow:
            label = await self._record(uow, row, outcome)
            await uow.commit()
        return label

    async def _record(self, uow: UnitOfWork, leased: Delivery, outcome: SendOutcome) -> str | None:
        return await record_outcome(
            uow,
            leased.id,
            outcome,
            self._clock.now(),
            max_attempts=self._max_attempts,
            backoff_base=self._backoff_base,
        )

    async def run(self) -> None:
        while True:
            # Cleared before the lease, not after: a wake-up rung while this round runs
            # (deliveries committed after its lease query) starts the next round at once.
            self._wakeup.clear()
            try:
                done = await self.run_once()
            except Exception as exc:
                log.warning("delivery_worker_failed", error=str(exc))
                await asyncio.sleep(1.0)
                continue
            if done >= self._batch:
                continue
            # asyncio.timeout, not wait_for (see OutboxRelay.run: a lost cancellation hangs stop)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll):
                    await self._wakeup.wait()


async def record_outcome(
    uow: UnitOfWork,
    delivery_id: uuid.UUID,
    outcome: SendOutcome,
    now: datetime,
    *,
    max_attempts: int,
    backoff_base: float,
) -> str | None:
    """Apply one send's outcome to its delivery: "sent", "failed", "retry" (None: not queued)."""
    deliveries = deliveries_in(uow)
    delivery = await deliveries.get(delivery_id)
    if delivery is None or not delivery.queued:
        return None
    label = "sent"
    if outcome.ok:
        delivery.sent(now)
    elif delivery.not_sent(
        outcome.error,
        permanent=outcome.permanent,
        now=now,
        max_attempts=max_attempts,
        backoff_base=backoff_base,
    ):
        label = "failed"
        log.warning(
            "notification_failed",
            delivery=str(delivery.id),
            channel=delivery.channel,
            error=outcome.error,
        )
    else:
        label = "retry"
    await deliveries.save(delivery)
    uow.emit_raised(delivery.events, case_id=delivery.case_id, causation_id=delivery.event_id)
    delivery.events.clear()
    return label
