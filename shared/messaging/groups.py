"""Consumer groups are created from the start of the stream before anyone publishes."""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis
from redis.exceptions import ResponseError


async def ensure_groups(redis: Redis, pairs: Iterable[tuple[str, str]]) -> None:
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
