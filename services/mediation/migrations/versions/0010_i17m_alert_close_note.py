"""pattern_alert: what the committee did about the pattern when it closed the alert, and who

Revision ID: 0009_i17m
Revises: 0009_i20a_groups_companies
Create Date: 2026-12-05 23:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_i17m'
down_revision: str | None = '0009_i20a_groups_companies'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pattern_alert') as batch:
        batch.add_column(
            sa.Column('close_note', sa.String(length=2000), nullable=False, server_default='')
        )
        batch.add_column(sa.Column('closed_by', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pattern_alert') as batch:
        batch.drop_column('closed_by')
        batch.drop_column('close_note')
