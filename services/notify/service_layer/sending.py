"""The delivery worker: lease one due row, send it, record its outcome with its event at once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify.adapters.channels import with_key
from services.notify.adapters.delivery_store import LeaseLost, claim, delivery_of, due_rows
from services.notify.adapters.outcome import SendOutcome
from services.notify.adapters.phone_book import PhoneUnavailable
from services.notify.adapters.target_guard import TargetGuard, TargetUnresolvable, UnsafeTarget
from services.notify.domain.delivery import Delivery
from services.notify.service_layer.repository import deliveries_in
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock, SystemClock

log = structlog.get_logger(__name__)
Send = Callable[[str, str, str], Awaitable[SendOutcome]]
PHONE_SLOT = "{phone}"
# A send's outcome waiting to be committed: the delivery as leased, the outcome, its answer.
_Outcome = tuple[Delivery, SendOutcome, "asyncio.Future[str | None]"]


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
        # The due rows' read and each lease are one Core statement each, atomic on their own:
        # run on a connection of the sessions' engine (its pool) in autocommit, without the
        # BEGIN and COMMIT round trips of a transaction or a Session around them.
        engine: AsyncEngine = sessions.kw["bind"]
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
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
        self._due = due_rows(batch)
        # Outcomes waiting for the commit after the one under way (see `_record_one`).
        self._outcomes: list[_Outcome] = []
        self._recording = False

    def wake(self) -> None:
        self._wakeup.set()

    async def candidates(self) -> list[sa.Row[Any]]:
        """Up to a batch of due rows, oldest first, of cases with nothing being sent right now.

        Nothing is leased here: each row is leased just before its own send (`_claim`), so a
        crash leaves only the sends in flight to be repeated. A case whose earlier notice is
        leased (in flight, or left by a crashed worker until its lease runs out) waits, so its
        notices still leave in the order they were planned.
        """
        params = {"now": self._clock.now(), "lease_now": self._lease_clock.now()}
        async with self._autocommit.connect() as conn:
            return list((await conn.execute(self._due, params)).all())

    async def _claim(self, delivery_id: uuid.UUID) -> sa.Row[Any] | None:
        """Lease this one row for `lease_seconds`, if nobody sent or holds it meanwhile: the
        row as leased (what is sent and recorded), or None."""
        now = self._lease_clock.now()
        async with self._autocommit.connect() as conn:
            return await claim(conn, delivery_id, now, now + self._lease)

    async def _deliver(self, row: sa.Row[Any]) -> SendOutcome:
        # Checked again at send time: DNS may have changed since the directory was loaded.
        # The look-up blocks, so it runs in a thread; a check without one runs here.
        try:
            if self._guard.looks_up(row.target):
                await asyncio.to_thread(self._guard.check, row.target)
            else:
                self._guard.check(row.target)
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
        by_case: dict[uuid.UUID, list[uuid.UUID]] = {}
        for row in rows:
            by_case.setdefault(row.case_id, []).append(row.id)
        done = await asyncio.gather(*(self._send_in_order(chain) for chain in by_case.values()))
        return sum(done)

    async def _send_in_order(self, chain: list[uuid.UUID]) -> int:
        """A reporter must not hear "closed" before "acknowledged" because both were due
        together (a backlog caught up in one round): one at a time, in planned order."""
        sent = 0
        for delivery_id in chain:
            async with self._slots:
                row = await self._claim(delivery_id)
                if row is None:
                    return sent  # another worker has it; the rest of the case waits for it
                outcome = await self._deliver(row)
                label = await self._record_one(delivery_of(row), outcome)
            sent += 1
            if self._on_outcome is not None and label is not None:
                self._on_outcome(row.channel, label)
        return sent

    async def _record_one(self, row: Delivery, outcome: SendOutcome) -> str | None:
        """The outcome commits as soon as the send returns: a crash after this repeats nothing.

        Outcomes that return while another is being committed wait for that commit and go
        together in the next one (a group commit: one transaction and one outbox write for
        the sends that finished at once); each send still returns only once its outcome is
        committed, so a case's next notice never leaves before it."""
        done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._outcomes.append((row, outcome, done))
        if not self._recording:  # nobody is committing: this send does, until none is left
            self._recording = True
            group: list[_Outcome] = []
            try:
                while self._outcomes:
                    group, self._outcomes = self._outcomes, []
                    await self._record_group(group)
            except BaseException:  # cancelled: the waiting sends must not wait forever
                for _, _, waiting in group + self._outcomes:
                    waiting.cancel()  # a no-op on those already answered
                self._outcomes = []
                raise
            finally:
                self._recording = False
        return await done

    async def _record_group(self, group: list[_Outcome]) -> None:
        try:
            labels = await self._commit_outcomes(group)
        except Exception as exc:
            if len(group) == 1:
                group[0][2].set_exception(exc)
                return
            # One outcome's trouble must not hold back the others: each on its own.
            for item in group:
                try:
                    [label] = await self._commit_outcomes([item])
                except Exception as one:
                    item[2].set_exception(one)
                else:
                    item[2].set_result(label)
            return
        for (_, _, done), label in zip(group, labels, strict=True):
            done.set_result(label)

    async def _commit_outcomes(self, group: list[_Outcome]) -> list[str | None]:
        async with self._new_uow() as uow:
            labels = [await self._record(uow, row, outcome) for row, outcome, _ in group]
            await uow.commit()
        return labels

    async def _record(self, uow: UnitOfWork, leased: Delivery, outcome: SendOutcome) -> str | None:
        return await record_outcome(
            uow,
            leased.id,
            outcome,
            self._clock.now(),
            max_attempts=self._max_attempts,
            backoff_base=self._backoff_base,
            leased=leased,
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
    leased: Delivery | None = None,
) -> str | None:
    """Apply one send's outcome to its delivery: "sent", "failed", "retry" (None: not queued).

    `leased`: the delivery as its sender's lease took it (`UPDATE … RETURNING`), saving the
    read; it is written only while the row still carries that lease, else read afresh."""
    deliveries = deliveries_in(uow)
    delivery = leased if leased is not None else await deliveries.get(delivery_id)
    if delivery is None or not delivery.queued:
        return None
    held = delivery.lease_until if leased is not None else None
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
    if held is None:
        await deliveries.save(delivery)
    else:
        try:
            await deliveries.save(delivery, held=held)
        except LeaseLost:  # its lease ran out and another sender took it: as without a lease
            return await record_outcome(
                uow, delivery_id, outcome, now, max_attempts=max_attempts, backoff_base=backoff_base
            )
    uow.emit_raised(delivery.events, case_id=delivery.case_id, causation_id=delivery.event_id)
    delivery.events.clear()
    return label
