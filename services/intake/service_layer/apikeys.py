"""Issue, check and revoke Open311 API keys."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters.tables import ApiKey
from services.intake.domain.apikeys import hash_api_key, new_api_key
from shared.platform.clock import SYSTEM_CLOCK, Clock


async def create_key(
    session: AsyncSession, name: str, department_id: str | None = None, service: str | None = None
) -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and never stored."""
    plain = new_api_key()
    row = ApiKey(
        name=name[:100], key_hash=hash_api_key(plain), department_id=department_id, service=service
    )
    session.add(row)
    await session.commit()
    return row, plain


async def check_key(session: AsyncSession, plain: str | None) -> ApiKey | None:
    """The live key matching `plain`, or None."""
    if not plain or len(plain) > 200:
        return None
    stmt = select(ApiKey).where(
        ApiKey.key_hash == hash_api_key(plain), col(ApiKey.revoked_at).is_(None)
    )
    return (await session.exec(stmt)).first()


async def revoke_key(session: AsyncSession, name: str, clock: Clock = SYSTEM_CLOCK) -> int:
    rows = (
        await session.exec(
            select(ApiKey).where(ApiKey.name == name, col(ApiKey.revoked_at).is_(None))
        )
    ).all()
    for row in rows:
        row.revoked_at = clock.now()
        session.add(row)
    await session.commit()
    return len(rows)


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    return list((await session.exec(select(ApiKey).order_by(col(ApiKey.created_at)))).all())
