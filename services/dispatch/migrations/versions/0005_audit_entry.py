"""audit_entry: the append-only log of personal-data access (UPDATE and DELETE refused)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = 'audit_0001'


def upgrade() -> None:
    """audit_entry comes from shared/platform/migrations (audit_0001)."""


def downgrade() -> None:
    """Nothing here: the platform revision this one depends on owns the table."""
