"""Alembic environment of notify: its own metadata only."""

from shared.migrations_env import run

from services.notify.adapters.tables import metadata

run(metadata)
