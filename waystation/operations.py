"""Operator views of the streams: dead letters, replay, pending entries and lag."""

from __future__ import annotations

from typing import cast

from faststream.redis import RedisBroker
from redis.asyncio import Redis
from rich.table import Table

from shared.contracts.streams import SERVICES, all_group_pairs, dead_letter_stream, stream_of
from shared.logs import quiet_logger
from shared.messaging.dead_letters import list_dead_letters


async def list_dead_letters_table(url: str, service: str | None) -> Table:
    redis = Redis.from_url(url)
    table = Table("stream", "dlq id", "group", "entry", "tries", "error")
    try:
        for producer in [service] if service else list(SERVICES):
            for dl in await list_dead_letters(redis, stream_of(producer)):
                table.add_row(
                    dl.stream, dl.dlq_id, dl.group, dl.entry_id, str(dl.deliveries), dl.error[:80]
                )
    finally:
        await redis.aclose()
    return table


async def replay_dead_letter(url: str, stream: str, dlq_id: str) -> str:
    """Publish the dead letter's body again; idempotent consumers ignore what they applied."""
    redis = Redis.from_url(url)
    broker = RedisBroker(url, logger=quiet_logger())
    try:
        entries = await redis.xrange(dead_letter_stream(stream), min=dlq_id, max=dlq_id)
        if not entries:
            return f"no dead letter {dlq_id} on {dead_letter_stream(stream)}"
        fields = cast(dict[bytes, bytes], entries[0][1])
        await broker.connect()
        new_id = await broker.publish(
            fields[b"body"], stream=stream, headers={"replayed_from": dlq_id}
        )
        await redis.xdel(dead_letter_stream(stream), dlq_id)
        return f"replayed {dlq_id} as {new_id.decode() if isinstance(new_id, bytes) else new_id}"
    finally:
        await broker.stop()
        await redis.aclose()


async def pending_table(url: str) -> Table:
    redis = Redis.from_url(url)
    table = Table("stream", "group", "pending", "lag", "consumers")
    try:
        for stream, group in all_group_pairs():
            groups = {g["name"].decode(): g for g in await redis.xinfo_groups(stream)}
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
