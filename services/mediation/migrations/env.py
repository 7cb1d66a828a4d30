"""Alembic environment of mediation: its own metadata only."""

from shared.migrations_env import run

from services.mediation.adapters.tables import metadata

run(metadata)
