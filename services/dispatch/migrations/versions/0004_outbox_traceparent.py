"""outbox traceparent

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 07:20:16.593214
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = 'kit_0003'

_ = (sa, sqlmodel)


def upgrade() -> None:
    """outbox.traceparent comes from shared/platform/migrations (kit_0003)."""


def downgrade() -> None:
    """Nothing here: the platform revision this one depends on owns the table."""
