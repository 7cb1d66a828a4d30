"""Alembic environment of dispatch: its own metadata only."""

from services.dispatch.adapters.tables import metadata
from shared.platform.migrations_env import run

run(metadata)
