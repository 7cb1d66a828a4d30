"""outbox.traceparent: the trace an event was written in, carried to its consumers.

Revision ID: kit_0003
Revises: kit_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'kit_0003'
down_revision: str | None = 'kit_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('traceparent', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('traceparent')
