"""Alembic environment of mediation: its own metadata only."""

from services.mediation.adapters.tables import metadata
from shared.platform.migrations_env import run

run(metadata)
