"""Dead letters: `<stream>.dlq` entries carrying the original event and the reason it failed.

Key names come from `partitions`: a partition's dead letters and their index share its hash
tag, so the script below touches one cluster slot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from shared.contracts.streams import ALERTS_STREAM
from shared.messaging.partitions import dead_letter_index, dead_letter_stream
from shared.messaging.redis_client import RedisClient
from shared.platform.clock import utc_now
from shared.platform.logs import mask_text


@dataclass(frozen=True)
class DeadLetter:
    dlq_id: str
    stream: str
    group: str
    entry_id: str
    deliveries: int
    error: str
    failed_at: str
    body: bytes
    headers: dict[str, Any]


async def dead_letter(
    redis: RedisClient,
    *,
    stream: str,
    group: str,
    entry_id: str,
    deliveries: int,
    error: str,
    body: bytes,
    headers: dict[str, Any],
) -> str:
    """Write one dead letter, once per (group, entry) even if the ack after it was lost.

    One Lua script checks the index, appends the letter and indexes it, atomically: a crash
    leaves both or neither, and a second attempt for the same entry writes nothing.
    """
    index, key = dead_letter_index(stream), f"{group}:{entry_id}"
    fields: dict[Any, Any] = {
        "stream": stream,
        "group": group,
        "entry_id": entry_id,
        "deliveries": str(deliveries),
        "error": mask_text(error[:2000]),
        "failed_at": utc_now().isoformat(),
        "headers": json.dumps(headers, default=str),
        "body": body,
    }
    flat = [item for pair in fields.items() for item in pair]
    written, dlq_id = await redis.eval(
        _DEAD_LETTER_ONCE, 2, dead_letter_stream(stream), index, key, *flat
    )
    dlq_text = dlq_id.decode() if isinstance(dlq_id, bytes) else str(dlq_id)
    if not written:
        return dlq_text
    await raise_alert(
        redis, "dead_letter", stream=stream, group=group, dlq_id=dlq_text, error=error[:300]
    )
    return dlq_text


_DEAD_LETTER_ONCE = """
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return {0, known} end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('HSET', KEYS[2], ARGV[1], id)
return {1, id}
"""


async def forget_dead_letter(
    redis: RedisClient, stream: str, dlq_id: str, group: str, entry: str
) -> None:
    """Remove a dead letter (after a replay) and its index entry."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.xdel(dead_letter_stream(stream), dlq_id)
        pipe.hdel(dead_letter_index(stream), f"{group}:{entry}")
        await pipe.execute()


async def raise_alert(redis: RedisClient, kind: str, **details: str) -> None:
    """An operator alert on the alerts stream (bounded: alerts are not events to process)."""
    fields: dict[Any, Any] = {"kind": kind, "at": utc_now().isoformat(), **details}
    await redis.xadd(
        ALERTS_STREAM,
        fields,
        maxlen=10_000,
        approximate=True,
    )


def _text(fields: dict[bytes, bytes], key: str) -> str:
    return fields.get(key.encode(), b"").decode(errors="replace")


async def list_dead_letters(redis: RedisClient, stream: str, count: int = 100) -> list[DeadLetter]:
    entries = cast(
        list[tuple[bytes, dict[bytes, bytes]]],
        await redis.xrange(dead_letter_stream(stream), count=count),
    )
    return [
        DeadLetter(
            dlq_id=entry_id.decode(),
            stream=_text(fields, "stream"),
            group=_text(fields, "group"),
            entry_id=_text(fields, "entry_id"),
            deliveries=int(_text(fields, "deliveries") or 0),
            error=_text(fields, "error"),
            failed_at=_text(fields, "failed_at"),
            body=fields.get(b"body", b""),
            headers=json.loads(_text(fields, "headers") or "{}"),
        )
        for entry_id, fields in entries
    ]
