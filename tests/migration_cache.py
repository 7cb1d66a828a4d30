"""Migrate each service's schema once per test session, then copy it into each fresh database.

Nearly every integration test starts a service on a new, empty database, and each start runs
the service's whole Alembic chain (0.1-0.7 s a time, about 450 times a run). Here
`alembic.command.upgrade(config, "<service>@head")` on an EMPTY database is answered by a copy of a
database this session already migrated with the same chain: `CREATE DATABASE ... TEMPLATE` on
PostgreSQL, a file copy on SQLite. The copy is the very result of the same migrations, so what
a test sees is unchanged; anything else (a database that already has tables, a target revision
other than head, a database someone is connected to) runs the real migrations.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from shared.platform.db import alembic_config, service_head

Upgrade = Callable[..., Any]


class MigrationCache:
    def __init__(self, admin_url: str, folder: Path, real_upgrade: Upgrade) -> None:
        self._admin_url = admin_url
        self._folder = folder
        self._real = real_upgrade
        self._token = uuid.uuid4().hex[:8]
        self._templates: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def upgrade(self, config: Config, revision: str, *args: Any, **kwargs: Any) -> Any:
        location = config.get_main_option("script_location")
        url = config.get_main_option("sqlalchemy.url")
        if not revision.endswith("head") or args or kwargs or not location or not url:
            return self._real(config, revision, *args, **kwargs)
        parsed = make_url(url)
        backend, database = parsed.get_backend_name(), parsed.database
        copied = bool(database) and (
            (backend == "sqlite" and self._sqlite_copy(config, location, Path(str(database))))
            or (backend == "postgresql" and self._postgres_copy(config, location, str(database)))
        )
        if copied:
            return None
        return self._real(config, revision, *args, **kwargs)

    def _sqlite_copy(self, config: Config, location: str, target: Path) -> bool:
        if target.exists() and _sqlite_has_tables(target):
            return False
        with self._lock:
            key = (location, "sqlite")
            source = self._templates.get(key)
            if source is None:
                source = str(self._folder / f"{uuid.uuid4().hex}.sqlite")
                self._real(
                    alembic_config(Path(location), f"sqlite+aiosqlite:///{source}"),
                    service_head(Path(location)),
                )
                self._templates[key] = source
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return True

    def _postgres_copy(self, config: Config, location: str, database: str) -> bool:
        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            busy = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchone()
            if busy is None or busy[0]:
                return False
        target_url = make_url(config.get_main_option("sqlalchemy.url") or "")
        try:
            if _postgres_has_tables(target_url):
                return False
        except psycopg.Error:
            return False
        with self._lock:
            key = (location, "postgresql")
            template = self._templates.get(key)
            if template is None:
                template = f"ws_tmpl_{self._token}_{len(self._templates)}"
                with psycopg.connect(self._admin_url, autocommit=True) as admin:
                    admin.execute(f'CREATE DATABASE "{template}"')
                self._real(
                    alembic_config(
                        Path(location), target_url.set(database=template).render_as_string(False)
                    ),
                    service_head(Path(location)),
                )
                self._templates[key] = template
            with psycopg.connect(self._admin_url, autocommit=True) as admin:
                # FORCE: only the backend of the emptiness check above may linger.
                admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        return True

    def drop_templates(self) -> None:
        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            for (_location, dialect), name in self._templates.items():
                if dialect == "postgresql":
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sqlite_has_tables(path: Path) -> bool:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def _postgres_has_tables(url: Any) -> bool:
    plain = url.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(plain, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog',"
            " 'information_schema')"
        ).fetchone()
        return bool(row and row[0])


@contextlib.contextmanager
def migrations_copied(admin_url: str, folder: Path) -> Iterator[MigrationCache]:
    """Answer `command.upgrade(..., "<service>@head")` on empty databases from templates."""
    cache = MigrationCache(admin_url, folder, command.upgrade)
    command.upgrade = cache.upgrade
    try:
        yield cache
    finally:
        command.upgrade = cache._real
        cache.drop_templates()
