"""Alembic environment of intake: its own metadata only."""

from shared.migrations_env import run

from services.intake.adapters.tables import metadata

run(metadata)
