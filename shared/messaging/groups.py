"""Consumer groups are created from the start of the stream before anyone publishes."""

from __future__ import annotations

from collections.abc import Iterable

from redis.exceptions import ResponseError

from shared.messaging.redis_client import RedisClient


async def ensure_groups(redis: RedisClient, pairs: Iterable[tuple[str, str]]) -> None:
    """XGROUP CREATE <stream> <group> 0 MKSTREAM for each pair; an existing group is kept.

    FastStream would create a missing group at `$`, losing every event published before it
    started; creating it at `0` first means a new group reads the whole stream.
    """
    for stream, group in pairs:
        try:
            await redis.xgroup_create(stream, group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise


# A live consumer reads (and so is seen) every few seconds; one idle this long left.
LEFT_AFTER_MS = 10 * 60 * 1000


async def prune_consumers(
    redis: RedisClient, pairs: Iterable[tuple[str, str]], *, idle_ms: int = LEFT_AFTER_MS
) -> int:
    """XGROUP DELCONSUMER every consumer idle longer than `idle_ms` that holds nothing pending.

    Each process start names new consumers (its instance id), so the names of stopped ones
    would pile up in every group. One holding pending entries is kept: the reclaimer still
    has to take them over. Deleting a consumer with nothing pending loses nothing, even if it
    were alive after all (its next read recreates it).
    """
    removed = 0
    for stream, group in pairs:
        try:
            consumers = await redis.xinfo_consumers(stream, group)
        except ResponseError:  # no such stream or group (yet)
            continue
        for consumer in consumers:
            if int(consumer["pending"]) == 0 and int(consumer["idle"]) > idle_ms:
                name = consumer["name"]
                await redis.xgroup_delconsumer(stream, group, name)
                removed += 1
    return removed
