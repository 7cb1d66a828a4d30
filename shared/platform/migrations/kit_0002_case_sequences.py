"""The kit's per-case event sequences: case_sequence (what this service numbered) and
applied_sequence (what it applied, per producer).

Revision ID: kit_0002
Revises: kit_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'kit_0002'
down_revision: str | None = 'kit_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applied_sequence',
    sa.Column('producer', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('producer', 'case_id')
    )
    op.create_table('case_sequence',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )


def downgrade() -> None:
    op.drop_table('case_sequence')
    op.drop_table('applied_sequence')
