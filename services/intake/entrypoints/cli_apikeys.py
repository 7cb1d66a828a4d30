"""The operator's API key commands (`waystation apikey`): Open311 keys in intake's database."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

# The service's own migrations (as `services.intake.app` runs them at start).
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


async def create(name: str, department_id: str | None, service: str | None = None) -> str:
    from services.intake.service_layer.apikeys import create_key

    async with intake_session() as session:
        _row, plain = await create_key(session, name, department_id, service)
    return plain


async def revoke(name: str) -> int:
    from services.intake.service_layer.apikeys import revoke_key

    async with intake_session() as session:
        return await revoke_key(session, name)


async def table() -> Table:
    from services.intake.service_layer.apikeys import list_keys

    out = Table("name", "department", "created (UTC)", "revoked")
    async with intake_session() as session:
        for key in await list_keys(session):
            out.add_row(
                key.name,
                key.department_id or (f"service {key.service}" if key.service else "-"),
                key.created_at.isoformat(timespec="seconds"),
                key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "",
            )
    return out


class intake_session:  # noqa: N801 - used as `async with intake_session()`
    """A session on intake's database, migrated first (the command may run before the service)."""

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        from services.intake.config import IntakeSettings
        from shared.platform.db import make_engine, make_sessions, upgrade_async

        settings = IntakeSettings()
        await upgrade_async(MIGRATIONS, settings.database_url)
        self.engine = make_engine(settings.database_url)
        self.session = make_sessions(self.engine)()
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        await self.session.close()
        await self.engine.dispose()
