"""case.parent_case_id: a group dispute's member cases point at their parent (LDMAL 7)

Revision ID: 0008_i20a_group_members
Revises: 0007_i23_timeline_causation
Create Date: 2026-12-05 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_i20a_group_members'
down_revision: str | None = '0007_i23_timeline_causation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.add_column(sa.Column('parent_case_id', sa.Uuid(), nullable=True))
        batch.create_index('ix_case_parent_case_id', ['parent_case_id'])


def downgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.drop_index('ix_case_parent_case_id')
        batch.drop_column('parent_case_id')
