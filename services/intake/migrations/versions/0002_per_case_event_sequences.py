"""per-case event sequences

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 06:31:13.299794
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = 'kit_0002'

_ = (sa, sqlmodel)


def upgrade() -> None:
    """The kit's sequence tables come from shared/platform/migrations (kit_0002)."""


def downgrade() -> None:
    """Nothing here: the platform revision this one depends on owns the table."""
