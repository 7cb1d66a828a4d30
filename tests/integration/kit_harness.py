"""A minimal service built from the messaging kit, for testing the kit against real servers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from shared.contracts.envelope import Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.messaging.batching import Prepare
from shared.messaging.consumer import ConsumerConfig, Handler, IdempotentConsumer
from shared.messaging.groups import ensure_groups
from shared.messaging.partitions import group_pairs
from shared.messaging.publishing import publish_events
from shared.messaging.reader import reader_tasks
from shared.messaging.redis_client import make_broker, make_redis
from shared.messaging.relay import OutboxRelay, OutgoingEvent
from shared.messaging.tables import kit_tables
from shared.messaging.uow import UnitOfWork
from shared.platform.db import make_engine, make_sessions
from shared.platform.runtime import stop_tasks

metadata = sa.MetaData()
KIT = kit_tables(metadata)
ledger = sa.Table(
    "ledger",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("note", sa.String(100), nullable=False),
)


def filed_event(case_id: uuid.UUID | None = None) -> Envelope:
    return new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code="ABCD-EFGH",
            channel="officer",
            title="t",
            description="d",
            parties=[PartyRef(role="reporter", party_id="p-1", display_name="吴师傅")],
            hazard=HazardDetails(category="road_damage", location=GeoPoint(lat=31.1, lng=121.1)),
        ),
        case_id=case_id or uuid.uuid4(),
        producer="intake",
    )


class KitService:
    """`producer` writes to its outbox; a consumer of `consumer_service`'s group applies."""

    def __init__(
        self,
        database_url: str,
        redis_url: str,
        consumer_service: str = "mediation",
        *,
        reclaim_idle_ms: int = 30_000,
        max_deliveries: int = 5,
        handler: Handler | None = None,
        retry_pauses: tuple[float, ...] = (0.01,),
        read_batch: int = 50,
        prepare: Prepare | None = None,
        partitions: int = 1,
        read_concurrency: int = 1,
    ) -> None:
        self.partitions = partitions
        self.engine = make_engine(database_url)
        self.sessions = make_sessions(self.engine)
        self.redis = make_redis(redis_url)
        self.broker = make_broker(redis_url, logger=None)
        self.relay = OutboxRelay(
            self.sessions,
            KIT,
            self.publish,
            service="intake",
            poll_interval=0.05,
            partitions=partitions,
        )
        self.consumer = IdempotentConsumer(
            ConsumerConfig(
                service=consumer_service,
                instance=f"t-{uuid.uuid4().hex[:6]}",
                reclaim_idle_ms=reclaim_idle_ms,
                max_deliveries=max_deliveries,
                retry_pauses=retry_pauses,
                read_batch=read_batch,
                read_concurrency=read_concurrency,
                partitions=partitions,
            ),
            {"case.filed": handler or self.record},
            self.uow,
            self.redis,
            prepare=prepare,
        )

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, KIT, producer="intake", on_commit=self.relay.wake)

    async def record(self, envelope: Envelope, uow: UnitOfWork) -> None:
        await uow.session.execute(sa.insert(ledger).values(event_id=envelope.event_id, note="x"))

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        await publish_events(self.broker, self.redis, events)

    async def start_consuming(self) -> None:
        await ensure_groups(self.redis, group_pairs(self.partitions))
        self.consumer.subscribe(self.broker)
        await self.broker.start()
        self.readers = [
            asyncio.create_task(reader.run()) for reader in reader_tasks(self.redis, self.consumer)
        ]

    async def emit_committed(self, n: int = 1) -> list[Envelope]:
        events = [filed_event() for _ in range(n)]
        async with self.uow() as uow:
            for e in events:
                uow.emit(e)
            await uow.commit()
        return events

    async def ledger_count(self, event_id: uuid.UUID | None = None) -> int:
        stmt = sa.select(sa.func.count()).select_from(ledger)
        if event_id is not None:
            stmt = stmt.where(ledger.c.event_id == event_id)
        async with self.engine.connect() as conn:
            return int((await conn.execute(stmt)).scalar_one())

    async def close(self) -> None:
        # As the service runtime does: a reader whose cancellation was swallowed would run on
        # into the next test (the loop is session-wide) and take that test's entries.
        await stop_tasks(getattr(self, "readers", []))
        await self.broker.stop()
        await self.redis.aclose()
        await self.engine.dispose()
