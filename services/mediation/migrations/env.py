"""Alembic environment of mediation: its own metadata only."""

from services.mediation.adapters.tables import metadata
from shared.migrations_env import run

run(metadata)
