"""Is the system drained? Every group has read and acknowledged every entry of every stream,
and (unless asked not to look) no outbox holds an unpublished row.

The step before changing STREAM_PARTITIONS (docs/scaling.md): entries left on a partition
that the new N no longer reads would never be applied.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from redis.exceptions import ResponseError
from sqlalchemy.exc import OperationalError, ProgrammingError

from shared.messaging.partitions import group_pairs
from shared.messaging.redis_client import RedisClient, make_redis
from shared.messaging.tables import kit_tables
from shared.platform.db import make_engine

# Every service's outbox has the kit's one shape and name: read it without importing a service.
_OUTBOX = kit_tables(sa.MetaData()).outbox


class DatabaseUnreadable(Exception):
    """A service's database cannot be read (down, or not migrated yet)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


@dataclass(frozen=True)
class Backlog:
    """One place where work still waits."""

    where: str  # a stream, or `outbox`
    who: str  # a group, or a service
    pending: int  # read but not acknowledged (outbox: unpublished rows)
    lag: int  # not read yet


async def stream_backlogs(
    redis: RedisClient, partitions: list[int], groups: Collection[str] | None = None
) -> list[Backlog]:
    """Every (stream, group) of every partition count in `partitions` with work left (only
    the named `groups`, when given).

    A stream that does not exist holds nothing. A missing group on a stream that has entries
    is a backlog of the whole stream. Lag comes from XINFO GROUPS; where Redis cannot tell it
    (after deletions), a group that has delivered the stream's last entry has none.
    """
    pairs = list(dict.fromkeys(pair for n in partitions for pair in group_pairs(n)))
    found = []
    for stream, group in pairs:
        if groups is not None and group not in groups:
            continue
        try:
            info = await redis.xinfo_stream(stream)
            readers: list[dict[str, Any]] = await redis.xinfo_groups(stream)
        except ResponseError:  # no such stream: nothing was ever published to it
            continue
        mine = next((g for g in readers if _text(g.get("name")) == group), None)
        length = int(info.get("length") or 0)
        if mine is None:
            if length:
                found.append(Backlog(stream, group, 0, length))
            continue
        pending = int(mine.get("pending") or 0)
        lag = mine.get("lag")
        if lag is None:
            last = _text(info.get("last-generated-id"))
            lag = 0 if _text(mine.get("last-delivered-id")) == last else length
        if pending or int(lag):
            found.append(Backlog(stream, group, pending, int(lag)))
    return found


async def outbox_backlogs(database_urls: dict[str, str]) -> list[Backlog]:
    """Unpublished outbox rows of each service's database (DatabaseUnreadable, naming the
    service, where one cannot be read)."""
    found = []
    for service, url in database_urls.items():
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                if not await conn.run_sync(lambda c: sa.inspect(c).has_table(_OUTBOX.name)):
                    raise DatabaseUnreadable(service, "尚未迁移 not migrated (no outbox table)")
                count = await conn.scalar(
                    sa.select(sa.func.count())
                    .select_from(_OUTBOX)
                    .where(_OUTBOX.c.published_at.is_(None))
                )
        except (OperationalError, ProgrammingError, OSError) as exc:
            raise DatabaseUnreadable(
                service, f"无法连接 cannot connect ({type(exc).__name__})"
            ) from exc
        finally:
            await engine.dispose()
        if count:
            found.append(Backlog("outbox", service, int(count), 0))
    return found


async def backlogs(
    redis_url: str,
    partitions: list[int],
    database_urls: dict[str, str] | None,
    groups: Collection[str] | None = None,
) -> list[Backlog]:
    """Streams first, then (when `database_urls` is given) the outboxes."""
    redis = make_redis(redis_url)
    try:
        found = await stream_backlogs(redis, partitions, groups)
    finally:
        await redis.aclose()
    if database_urls:
        found += await outbox_backlogs(database_urls)
    return found


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
