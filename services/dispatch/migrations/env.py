"""Alembic environment of dispatch: its own metadata only."""

from shared.migrations_env import run

from services.dispatch.adapters.tables import metadata

run(metadata)
