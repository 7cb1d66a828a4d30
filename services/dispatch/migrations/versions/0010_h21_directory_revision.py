"""directory_revision: one row counted up by every directory write, so that dispatch keeps the
directory it read between writes instead of reading it for every batch of hazards

Revision ID: 0010_h21_directory_revision
Revises: 0009_h16_history_position
Create Date: 2026-12-07 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_h21_directory_revision'
down_revision: str | None = '0009_h16_history_position'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        'directory_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(table, [{'id': 1, 'revision': 0}])


def downgrade() -> None:
    op.drop_table('directory_revision')
