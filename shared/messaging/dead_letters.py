"""Dead letters: `<stream>.dlq` entries carrying the original event and the reason it failed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis

from shared.contracts.streams import dead_letter_stream


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
    redis: Redis,
    *,
    stream: str,
    group: str,
    entry_id: str,
    deliveries: int,
    error: str,
    body: bytes,
    headers: dict[str, Any],
) -> str:
    """Write one dead letter; returns its id in the dead-letter stream."""
    fields: dict[Any, Any] = {
        "stream": stream,
        "group": group,
        "entry_id": entry_id,
        "deliveries": str(deliveries),
        "error": error[:2000],
        "failed_at": datetime.now(UTC).isoformat(),
        "headers": json.dumps(headers, default=str),
        "body": body,
    }
    dlq_id = await redis.xadd(dead_letter_stream(stream), fields)
    return dlq_id.decode() if isinstance(dlq_id, bytes) else str(dlq_id)


def _text(fields: dict[bytes, bytes], key: str) -> str:
    return fields.get(key.encode(), b"").decode(errors="replace")


async def list_dead_letters(redis: Redis, stream: str, count: int = 100) -> list[DeadLetter]:
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
