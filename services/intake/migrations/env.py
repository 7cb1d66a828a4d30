"""Alembic environment of intake: its own metadata only."""

from services.intake.adapters.tables import metadata
from shared.platform.migrations_env import run

run(metadata)
