"""idempotency_record: the first answer to a mutating request with an Idempotency-Key, claimed
in the transaction of the change it made (shared/platform/idempotency.py).

Revision ID: idempotency_0001
Revises: 
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'idempotency_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('idempotency',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'idempotency_record',
        sa.Column('caller', sa.String(length=120), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('route', sa.String(length=300), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('media_type', sa.String(length=100), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('caller', 'key', 'route'),
    )


def downgrade() -> None:
    op.drop_table('idempotency_record')
