"""Idempotency-Key: a repeated POST gets the first response, never a second ticket."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.tables import IdempotencyRecord
from services.intake.domain.errors import IdempotencyMismatch


def fingerprint(body: Any) -> str:
    """A stable digest of what was asked (canonical JSON, so key order does not matter)."""
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


async def recall(
    session: AsyncSession, key: str, route: str, digest: str
) -> IdempotencyRecord | None:
    """The stored first response, or None; the same key with another body is refused."""
    stmt = select(IdempotencyRecord).where(
        IdempotencyRecord.key == key, IdempotencyRecord.route == route
    )
    found = (await session.exec(stmt)).first()
    if found is not None and found.fingerprint != digest:
        raise IdempotencyMismatch(key)
    return found


def remember(
    session: AsyncSession,
    key: str,
    route: str,
    digest: str,
    status_code: int,
    media_type: str,
    body: bytes,
) -> None:
    """Stage the response in the same transaction as the change it describes."""
    session.add(
        IdempotencyRecord(
            key=key,
            route=route,
            fingerprint=digest,
            status_code=status_code,
            media_type=media_type,
            body=body,
        )
    )
