"""Operator views of the streams: dead letters, replay, pending entries and lag."""

from __future__ import annotations

import contextlib
import importlib
import json
import uuid
from collections.abc import Sequence
from typing import cast

import sqlalchemy as sa
from rich.table import Table

from shared.contracts.streams import ALERTS_STREAM, SERVICES
from shared.messaging.dead_letters import forget_dead_letter, list_dead_letters
from shared.messaging.partitions import (
    base_of,
    configured_partitions,
    dead_letter_stream,
    group_pairs,
    partitions_of,
    stream_for_case,
    streams_of,
)
from shared.messaging.publishing import publish_events
from shared.messaging.redis_client import make_broker, make_redis
from shared.messaging.relay import OutboxRelay, OutgoingEvent
from shared.platform.db import make_engine, make_sessions
from shared.platform.logs import mask_text, quiet_logger
from shared.platform.settings import ServiceSettings


async def list_dead_letters_table(
    url: str, service: str | None, partitions: int | None = None
) -> Table:
    """Dead letters of every partition (STREAM_PARTITIONS) of every stream, or one producer's."""
    redis = make_redis(url)
    # Stream and ids are copied into `dlq replay`: never cut; the error folds instead.
    ids = {"no_wrap": True, "overflow": "ignore"}
    table = Table(show_lines=False)
    for name in ("stream", "dlq id", "group", "entry"):
        table.add_column(name, **ids)  # type: ignore[arg-type]
    table.add_column("tries")
    table.add_column("error", overflow="fold", min_width=10)
    n = partitions or configured_partitions()
    try:
        streams = [s for p in ([service] if service else SERVICES) for s in streams_of(p, n)]
        for stream in streams:
            for dl in await list_dead_letters(redis, stream):
                table.add_row(
                    dl.stream, dl.dlq_id, dl.group, dl.entry_id, str(dl.deliveries), dl.error[:80]
                )
    finally:
        await redis.aclose()
    return table


def replay_stream(stream: str, headers: str, partitions: int) -> str:
    """Where a dead letter of `stream` is replayed: its case's partition under today's N.

    A letter written before N changed names a partition nobody reads any more; its case's
    partition now is where the consumers will see it (and in its case's order). A letter with
    no case id (poison) goes back to its own stream if that is still read, else partition 0.
    """
    base = base_of(stream)
    case_id = None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        case_id = str(uuid.UUID(str(json.loads(headers or "{}").get("case_id"))))
    if case_id is not None:
        return stream_for_case(base, case_id, partitions)
    current = partitions_of(base, partitions)
    return stream if stream in current else current[0]


async def replay_dead_letter(
    url: str, stream: str, dlq_id: str, partitions: int | None = None
) -> str:
    """Publish the dead letter's body again; idempotent consumers ignore what they applied."""
    redis = make_redis(url)
    broker = make_broker(url, logger=quiet_logger())
    try:
        entries = await redis.xrange(dead_letter_stream(stream), min=dlq_id, max=dlq_id)
        if not entries:
            return f"no dead letter {dlq_id} on {dead_letter_stream(stream)}"
        fields = cast(dict[bytes, bytes], entries[0][1])
        await broker.connect()
        target = replay_stream(
            stream,
            fields.get(b"headers", b"{}").decode(errors="replace"),
            partitions or configured_partitions(),
        )
        new_id = await broker.publish(
            fields[b"body"], stream=target, headers={"replayed_from": dlq_id}
        )
        await forget_dead_letter(
            redis, stream, dlq_id, fields[b"group"].decode(), fields[b"entry_id"].decode()
        )
        new_text = new_id.decode() if isinstance(new_id, bytes) else new_id
        return f"replayed {dlq_id} as {new_text} on {target}"
    finally:
        await broker.stop()
        await redis.aclose()


async def pending_table(url: str, partitions: int | None = None) -> Table:
    """Pending entries and lag of every group on every partition (STREAM_PARTITIONS)."""
    redis = make_redis(url)
    table = Table("stream", "group", "pending", "lag", "consumers")
    try:
        for stream, group in group_pairs(partitions or configured_partitions()):
            exists = await redis.exists(stream)
            groups = (
                {g["name"].decode(): g for g in await redis.xinfo_groups(stream)} if exists else {}
            )
            info = groups.get(group)
            if info is None:
                table.add_row(stream, group, "-", "-", "missing")
                continue
            table.add_row(
                stream, group, str(info["pending"]), str(info.get("lag")), str(info["consumers"])
            )
    finally:
        await redis.aclose()
    return table


async def inspect_dead_letter(url: str, stream: str, dlq_id: str) -> str:
    redis = make_redis(url)
    try:
        for dl in await list_dead_letters(redis, stream, count=10_000):
            if dl.dlq_id == dlq_id:
                body = dl.body.decode(errors="replace")
                return mask_text(
                    f"stream {dl.stream}  group {dl.group}  entry {dl.entry_id}\n"
                    f"deliveries {dl.deliveries}  failed at {dl.failed_at}\n"
                    f"error: {dl.error}\nheaders: {dl.headers}\nbody: {body}"
                )
        return f"no dead letter {dlq_id} on {dead_letter_stream(stream)}"
    finally:
        await redis.aclose()


async def alerts_table(url: str, count: int) -> Table:
    redis = make_redis(url)
    table = Table("at", "kind", "details")
    try:
        entries = cast(
            list[tuple[bytes, dict[bytes, bytes]]],
            await redis.xrevrange(ALERTS_STREAM, count=count),
        )
        for _id, fields in entries:
            details = {k.decode(): v.decode() for k, v in fields.items()}
            table.add_row(details.pop("at", ""), details.pop("kind", ""), str(details))
    finally:
        await redis.aclose()
    return table


async def republish_case(settings: ServiceSettings, case_id: str) -> int:
    """Mark a case's outbox rows unpublished and relay them again now."""
    from waystation.services import SERVICES

    module = SERVICES[settings.service_name].module
    tables = importlib.import_module(f"{module}.adapters.tables").KIT
    engine = make_engine(settings.database_url)
    redis = make_redis(settings.redis_url)
    broker = make_broker(settings.redis_url, logger=quiet_logger())
    try:
        async with engine.begin() as conn:
            result = await conn.execute(
                sa.update(tables.outbox)
                .where(tables.outbox.c.case_id == uuid.UUID(case_id))
                .values(published_at=None)
            )
        await broker.connect()

        async def publish(events: Sequence[OutgoingEvent]) -> None:
            await publish_events(broker, redis, events, {"republished": "1"})

        relay = OutboxRelay(
            make_sessions(engine),
            tables,
            publish,
            service=settings.service_name,
            partitions=settings.stream_partitions,
        )
        while await relay.relay_once():
            pass
        return int(result.rowcount)
    finally:
        await broker.stop()
        await redis.aclose()
        await engine.dispose()
