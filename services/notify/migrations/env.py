"""Alembic environment of notify: its own metadata only."""

from services.notify.adapters.tables import metadata
from shared.platform.migrations_env import run

run(metadata)
